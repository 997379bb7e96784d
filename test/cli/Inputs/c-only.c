/* Valid C, not valid C++: a variable named `new` and an implicit void* cast. */
#include <stdlib.h>
int main(void) {
  int new = 1;
  int *p = malloc(sizeof *p);
  free(p);
  return new - 1;
}
