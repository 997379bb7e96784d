// Functions that hand a lock back to their caller and say so through an
// out-parameter or their result: the index of the stripe written through
// `*hv`, an item stored in `out->item`, a flag stored in `*overflow`, or a
// non-null result. After the call the caller holds the stripe, or holds it
// on the branch where the value it was told says so. Look-alikes: a
// function that writes the index and unlocks before returning, and one
// that tells nothing its caller can test.
// RUN: env SNAG_DUMP=locks %snag check --no-cache %s > %t.out || true
// RUN: FileCheck %s < %t.out
// RUN: not %snag check --no-cache %s 2>&1 | FileCheck %s --check-prefix=RULES --implicit-check-not="warning:"
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

static pthread_mutex_t stripes[64];
struct entry {
  int refs, flags;
};
static struct entry table[64];
struct pulled {
  struct entry *item;
  unsigned hv;
};

unsigned hash_of(const char *key) { return (unsigned)key[0]; }
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

// Stores an item through out on both paths, and returns a count: nothing
// the caller reads tells whether it still holds the stripe.
int pull_any(struct pulled *out) {
  pthread_mutex_lock(&stripes[0]);
  out->item = &table[0];
  if (table[0].refs)
    pthread_mutex_unlock(&stripes[0]);
  return table[0].refs;
}
// RULES: out-param-locks.c:[[@LINE-6]]:{{[0-9]+}}: warning: `stripes[0]` is locked here and may still be held when `pull_any` returns

// Keeps a stripe where it found an entry; stores it in out only on one
// list and with RETURN_ITEM, and lets go of it without RETURN_ITEM. A call
// with both constants holds the stripe where out->item is set; the walk
// for RETURN_ITEM alone still sees the HOT list keep it with nothing
// stored, which the caller takes as not held.
enum { HOT, COLD };
#define RETURN_ITEM 4
int pull_list(int list, int flags, struct pulled *out) {
  struct entry *it = NULL;
  for (unsigned hv = 0; hv < 64; ++hv) {
    if (pthread_mutex_trylock(&stripes[hv]) != 0)
      continue;
    switch (list) {
    case HOT:
      it = &table[hv];
      break;
    case COLD:
      it = &table[hv];
      if (flags & RETURN_ITEM) {
        out->item = it;
        out->hv = hv;
      }
      break;
    }
    if (it != NULL) {
      if ((flags & RETURN_ITEM) == 0)
        pthread_mutex_unlock(&stripes[hv]);
      break;
    }
    pthread_mutex_unlock(&stripes[hv]);
  }
  return 0;
}
// Its own row stays strict: pull_list(HOT, RETURN_ITEM, ...) keeps the
// stripe and says nothing.
// RULES: out-param-locks.c:[[@LINE-25]]:{{[0-9]+}}: warning: `stripes[hv]` is locked here and may still be held when `pull_list` returns

// CHECK-LABEL: function list_callers
void list_callers(void) {
  struct pulled r;
  r.item = NULL;
  pull_list(COLD, RETURN_ITEM, &r);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire stripes[hv] must={} may={}
  if (!r.item)
    return;
  stripe_unlock(r.hv);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv]} may={stripes[hv]}
  // Without RETURN_ITEM it lets go of what it took: no lock function.
  pull_list(COLD, 0, &r);
  stripe_lock(0);
  // CHECK-NEXT: [[@LINE-1]]: acquire stripes[hv & 63] must={} may={}
  stripe_unlock(0);
  // CHECK-NEXT: [[@LINE-1]]: release
}

// CHECK-LABEL: function callers
void callers(const char *key, unsigned n) {
  unsigned hv;
  lookup_pinned(key, &hv);
  // CHECK-NEXT: [[@LINE-1]]: acquire stripes[hv & 63] must={} may={}
  table[hv & 63].refs++;
  stripe_unlock(hv);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv & 63]}
  lookup_copy(key, &hv);
  stripe_lock(hv);
  // CHECK-NEXT: [[@LINE-1]]: acquire stripes[hv & 63] must={} may={}
  stripe_unlock(hv);
  // CHECK-NEXT: [[@LINE-1]]: release

  struct pulled r;
  r.item = NULL;
  pull_tail(3, &r);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire stripes[hv] must={} may={}
  if (r.item == NULL)
    return;
  stripe_unlock(r.hv);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv]} may={stripes[hv]}

  bool overflow;
  get_limited(n, &overflow);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire stripes[hv & 63] must={} may={}
  if (!overflow)
    stripe_unlock(n);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv & 63]}

  struct entry *e = find_entry(n);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire stripes[hv & 63] must={} may={}
  if (e != NULL)
    stripe_unlock(n);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv & 63]}
}
// The failure branches hold nothing; the success ones let go.
// CHECK-LABEL: function failures
void failures(unsigned n) {
  struct pulled r;
  r.item = NULL;
  pull_tail(3, &r);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire
  if (r.item != NULL) {
    stripe_unlock(r.hv);
    // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv]}
    return;
  }
  stripe_lock(n);
  // CHECK-NEXT: [[@LINE-1]]: acquire stripes[hv & 63] must={} may={}
  stripe_unlock(n);
  // CHECK-NEXT: [[@LINE-1]]: release
  bool overflow;
  get_limited(n, &overflow);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire
  if (!overflow) {
    stripe_unlock(n);
    // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={stripes[hv & 63]}
    return;
  }
  stripe_lock(n);
  // CHECK-NEXT: [[@LINE-1]]: acquire stripes[hv & 63] must={} may={}
  stripe_unlock(n);
  // CHECK-NEXT: [[@LINE-1]]: release
  struct pulled any;
  pull_any(&any);
  if (any.item)
    stripe_unlock(0);
  // CHECK-NEXT: [[@LINE-1]]: release stripes[hv & 63] must={} may={}
  // RULES: out-param-locks.c:[[@LINE-2]]:{{[0-9]+}}: warning: `stripes[hv & 63]` is unlocked here but is not held on any path to it
}
// CHECK-NEXT: exit
