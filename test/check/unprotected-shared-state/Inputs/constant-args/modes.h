// Functions that take or release locks by a mode their caller passes.
#include <pthread.h>
#include <stdbool.h>

enum pause_mode { PAUSE_ALL, PAUSE_WORKERS, RESUME_ALL, RESUME_WORKERS };
void pause_threads(enum pause_mode mode);
void stats_guard(bool enter);
void maint_lock_take(void);
void maint_lock_drop(void);
