// Thread starters of pool.c: launch() packs its arguments into a block the
// new thread unpacks; spawn() hands them to pthread_create as they are;
// run_now() calls the function on the calling thread.
void launch(void (*probe)(void *), void *payload);
void spawn(void *(*fn)(void *), void *arg);
void run_now(void (*fn)(void *), void *arg);
void join_all(void);
