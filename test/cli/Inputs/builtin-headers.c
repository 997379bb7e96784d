/* Clang's own headers, which snag must find wherever it is run from. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdalign.h>
#include <threads.h>
static atomic_int counter;
size_t bump(void) { return (size_t)atomic_fetch_add(&counter, 1); }
