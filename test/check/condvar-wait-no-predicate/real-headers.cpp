// The same shapes with the real standard library headers.
// RUN: not %snag check --no-cache --format text %s -- 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pthread.h>

std::mutex m;
std::condition_variable cv;
std::condition_variable_any cv_any;
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pc = PTHREAD_COND_INITIALIZER;
bool ready = false;

void bad_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
  // CHECK: :[[@LINE-1]]:6: warning: `cv` {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_wait_until() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait_until(lk, std::chrono::steady_clock::now() + std::chrono::seconds(1));
  // CHECK: :[[@LINE-1]]:6: warning: {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_any_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv_any.wait(lk);
  // CHECK: :[[@LINE-1]]:10: warning: `cv_any` {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_pthread() {
  pthread_mutex_lock(&pm);
  pthread_cond_wait(&pc, &pm);
  // CHECK: :[[@LINE-1]]:3: warning: {{.*}} [snag-condvar-wait-no-predicate]
  pthread_mutex_unlock(&pm);
}

void ok_predicate() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
  cv.wait_for(lk, std::chrono::milliseconds(5), [] { return ready; });
  cv_any.wait(lk, [] { return ready; });
}

void ok_loops() {
  std::unique_lock<std::mutex> lk(m);
  while (!ready)
    cv.wait(lk);
  while (!ready)
    cv.wait_for(lk, std::chrono::milliseconds(5));
  pthread_mutex_lock(&pm);
  while (!ready)
    pthread_cond_wait(&pc, &pm);
  pthread_mutex_unlock(&pm);
}
