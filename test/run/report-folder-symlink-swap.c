// The report folder is swapped for a symbolic link mid-run (as someone who
// controls a folder on its path could do). snag run reads and empties only
// the folder it made, through the descriptor it opened: the link's target
// is neither read nor emptied, and the finding made before the swap is
// still reported. A process started after the swap refuses the link.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: rm -rf %t.tmp %t.victim && mkdir -p %t.tmp %t.victim
// RUN: echo keep > %t.victim/keep.txt
// RUN: echo "finding	double-lock" > %t.victim/snag-rt.1.0
// RUN: env TMPDIR=%t.tmp not %snag run -- %t %t.victim > %t.out 2>&1
// RUN: FileCheck %s --implicit-check-not="[snag-" < %t.out
// RUN: FileCheck %s --check-prefix=AFTER < %t.out
// RUN: ls %t.victim | FileCheck %s --check-prefix=VICTIM
// RUN: find %t.tmp -type f | count 0
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static const char *reportDir(void) {
  const char *O = getenv("SNAG_OPTIONS");
  const char *D = O ? strstr(O, "report_dir=") : NULL;
  static char Dir[PATH_MAX];
  if (!D)
    return NULL;
  snprintf(Dir, sizeof(Dir), "%s", D + strlen("report_dir="));
  char *Colon = strchr(Dir, ':');
  if (Colon)
    *Colon = 0;
  return Dir;
}

int main(int argc, char **argv) {
  if (argc > 2) // the process started after the swap
    return 0;
  pthread_mutex_unlock(&m);
  // CHECK: report-folder-symlink-swap.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m`, which no thread holds{{.*}} [snag-unlock-not-held]
  const char *Dir = reportDir();
  char Moved[PATH_MAX + 8];
  snprintf(Moved, sizeof(Moved), "%s.moved", Dir);
  if (!Dir || rename(Dir, Moved) != 0 || symlink(argv[1], Dir) != 0) {
    perror("swap");
    return 1;
  }
  pid_t P = fork();
  if (P == 0) {
    execl(argv[0], argv[0], argv[1], "after", (char *)NULL);
    _exit(127);
  }
  waitpid(P, NULL, 0);
  // AFTER: snag: error: process {{[0-9]+}} ({{.*}}) cannot write to snag's report folder {{.*}}: it is not analysed
  return 0;
}
// VICTIM: keep.txt
// VICTIM-NEXT: snag-rt.1.0
