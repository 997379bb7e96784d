// REQUIRES: runtime
// A race in a ThreadSanitizer build arrives in snag's report; TSan's own exit
// status 66 does not replace snag's. The user's TSAN_OPTIONS are kept, except
// log_path: snag's report folder wins.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: env TSAN_OPTIONS=log_path=%t.elsewhere %exitcode %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: env TSAN_OPTIONS=report_bugs=0 %exitcode %snag run -- %t 2>&1 | FileCheck %s --check-prefix=OFF --implicit-check-not=warning:
#include <cstdio>
#include <thread>

int total = 0;

void bad_add() {
  total += 1;
  // CHECK: :[[@LINE-1]]:{{[0-9]+}}: warning: threads touch `total` at the same time with nothing ordering them{{.*}} [snag-data-race]
}

int main() {
  std::thread t1(bad_add), t2(bad_add);
  t1.join();
  t2.join();
  std::printf("total %d\n", total);
  // CHECK: exit 66
  // OFF: total
  // OFF: exit 0
}
