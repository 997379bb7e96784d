// unprotected-shared-state and the orderings besides start and join: a
// release (semaphore, latch, barrier, promise, atomic store, a flag set under
// a lock before a notify) after one access, acquired (a wait, get, atomic
// load that is branched on, a condition wait with its predicate) before the
// other, orders them. The look-alikes race: a relaxed store, a load whose
// value is not tested, a write after the release, a read before the acquire,
// a producer that writes again in a loop.
// RUN: not %snag check --no-cache --format text %s -- -std=c++20 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <atomic>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <thread>

// An atomic flag published with release, read after a spin on acquire.
static int payload;
static std::atomic<bool> ready{false};
static int relaxed_payload;
static std::atomic<bool> relaxed_ready{false};

void publisher() {
  payload = 42;
  ready.store(true, std::memory_order_release);
  relaxed_payload = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `relaxed_payload` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  relaxed_ready.store(true, std::memory_order_relaxed);
}

void spinner() {
  while (!ready.load(std::memory_order_acquire)) {
  }
  int seen = payload;
  while (!relaxed_ready.load(std::memory_order_relaxed)) {
  }
  relaxed_payload = seen;
}

// A flag tested with if: ordered inside the branch only.
static int branch_data;
static std::atomic<int> branch_flag;
void branch_writer() {
  branch_data = 7;
  // CHECK: :[[@LINE-1]]:3: warning: `branch_data` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  // CHECK: :[[@LINE+7]]:5: note: conflicting write of `branch_data` in `branch_reader`
  branch_flag = 1;
}
void branch_reader() {
  if (branch_flag.load() == 1)
    branch_data++;
  else
    branch_data--;
}

// A condition-variable handoff: data written, then the flag set under the
// mutex and notified; the consumer waits on the flag with a predicate.
static std::mutex m;
static std::condition_variable cv;
static bool done;
static int result;
void producer() {
  result = 99;
  {
    std::lock_guard<std::mutex> g(m);
    done = true;
  }
  cv.notify_one();
}
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return done; });
  lk.unlock();
  result++;
}

// The same with a loop around the wait, and a producer that writes again
// after it notified: that second write races.
static bool go;
static int job;
void looping_producer() {
  job = 1;
  {
    std::lock_guard<std::mutex> g(m);
    go = true;
  }
  cv.notify_all();
  job = 2;
  // CHECK: :[[@LINE-1]]:3: warning: `job` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
}
void looping_consumer() {
  std::unique_lock<std::mutex> lk(m);
  while (!go)
    cv.wait(lk);
  lk.unlock();
  job += 10;
}

// A semaphore and a latch.
static std::binary_semaphore sem{0};
static std::latch started{1};
static int sem_data, latch_data, early;
void poster() {
  sem_data = 1;
  sem.release();
  latch_data = 1;
  early = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `early` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  started.count_down();
}
void waiter() {
  early++;
  sem.acquire();
  sem_data++;
  started.wait();
  latch_data++;
}

// A promise's value, then the future's get.
static std::promise<int> answer;
static int side;
void setter() {
  side = 5;
  answer.set_value(1);
}
void getter() {
  std::future<int> f = answer.get_future();
  f.get();
  side++;
}

int main() {
  std::thread a(publisher), b(spinner), c(branch_writer), d(branch_reader),
      e(producer), f(consumer), g(looping_producer), h(looping_consumer),
      i(poster), j(waiter), k(setter), l(getter);
  for (std::thread *t : {&a, &b, &c, &d, &e, &f, &g, &h, &i, &j, &k, &l})
    t->join();
}
