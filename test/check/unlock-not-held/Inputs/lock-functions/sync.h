// Lock functions of sync.c, used from users.c.
enum pause_type { PAUSE_ALL, PAUSE_WORKERS, RESUME_ALL, RESUME_WORKERS };
void pause_threads(enum pause_type type);
void stripe_lock(unsigned hv);
void stripe_unlock(unsigned hv);
void stats_unlock(void);
void stats_lock(void);
struct pulled { void *item; unsigned hv; };
int pull_tail(struct pulled *out); /* locks the item's stripe when it returns 1 */
