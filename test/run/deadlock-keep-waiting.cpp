// With halt_on_deadlock=0 snag reports the stuck run and leaves the program
// alone: here an alarm ends it a little later.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run --option halt_on_deadlock=0 --option watchdog_ms=200 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex m;
std::condition_variable cv;
bool ready = false;

int main() {
  std::thread t([] {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [] { return ready; });
  });
  alarm(1);
  t.join();
}
// CHECK: warning: the run is stuck{{.*}} [snag-deadlock]
// CHECK-NOT: snag ended
// CHECK: the program died by signal 14 (SIGALRM)
