// Striped locks behind functions that try a stripe and return it.
#include <pthread.h>
#include <stddef.h>

void *stripe_trylock(unsigned hv);
void stripe_tryunlock(void *held);
void stripe_lock(unsigned hv);
void stripe_unlock(unsigned hv);
int try_table(void);
void table_unlock(void);
void *maybe_stripe(unsigned hv);
