// A striped lock table whose lock functions hand the stripe back through
// an out-parameter or their result.
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct entry {
  int refs, flags, time, hits, size, misses, drops, absent;
};
extern struct entry table[64];
struct pulled {
  struct entry *item;
  unsigned hv;
};

void stripe_lock(unsigned hv);
void stripe_unlock(unsigned hv);
struct entry *lookup_pinned(const char *key, unsigned *hv);
struct entry *lookup_copy(const char *key, unsigned *hv);
int pull_tail(int refs, struct pulled *out);
struct entry *get_limited(unsigned hv, bool *overflow);
struct entry *find_entry(unsigned hv);
