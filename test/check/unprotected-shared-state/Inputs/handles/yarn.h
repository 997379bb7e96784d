// A thread library of the user's: launch() returns the thread's handle,
// join() waits for one, join_all() for every thread launch() started.
typedef struct thread_s thread;
thread *launch(void (*probe)(void *), void *payload);
void join(thread *ally);
int join_all(void);
