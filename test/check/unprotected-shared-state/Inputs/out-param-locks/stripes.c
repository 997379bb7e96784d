// The lock functions. None of them is named for what it does to the lock.
#include "stripes.h"

static pthread_mutex_t stripes[64];
struct entry table[64];

static unsigned hash_of(const char *key) { return (unsigned)key[0]; }
void stripe_lock(unsigned hv) { pthread_mutex_lock(&stripes[hv & 63]); }
void stripe_unlock(unsigned hv) { pthread_mutex_unlock(&stripes[hv & 63]); }

// Returns holding the stripe whose index it wrote through hv.
struct entry *lookup_pinned(const char *key, unsigned *hv) {
  *hv = hash_of(key);
  stripe_lock(*hv);
  return &table[*hv & 63];
}

// Writes the index, but lets go of the stripe before it returns.
struct entry *lookup_copy(const char *key, unsigned *hv) {
  *hv = hash_of(key);
  stripe_lock(*hv);
  struct entry *e = &table[*hv & 63];
  stripe_unlock(*hv);
  return e;
}

// Holds a stripe where it stored an item in out->item.
int pull_tail(int refs, struct pulled *out) {
  int tried = 0;
  for (unsigned hv = 0; hv < 64; ++hv, ++tried) {
    if (pthread_mutex_trylock(&stripes[hv]) != 0)
      continue;
    if (table[hv].refs == refs) {
      out->item = &table[hv];
      out->hv = hv;
      break;
    }
    pthread_mutex_unlock(&stripes[hv]);
  }
  return tried;
}

// Holds the stripe unless it says it overflowed, whatever it returns.
struct entry *get_limited(unsigned hv, bool *overflow) {
  pthread_mutex_lock(&stripes[hv & 63]);
  struct entry *e = table[hv & 63].refs ? &table[hv & 63] : NULL;
  if (e && e->refs > 10) {
    pthread_mutex_unlock(&stripes[hv & 63]);
    *overflow = true;
    e = NULL;
  } else {
    *overflow = false;
  }
  return e;
}

// Returns an entry with its stripe held, or NULL without it.
struct entry *find_entry(unsigned hv) {
  struct entry *e = NULL;
  pthread_mutex_lock(&stripes[hv & 63]);
  if (table[hv & 63].refs > 0)
    e = &table[hv & 63];
  else
    pthread_mutex_unlock(&stripes[hv & 63]);
  return e;
}
