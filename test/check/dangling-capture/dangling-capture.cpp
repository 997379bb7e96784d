// RUN: not %snag check --no-cache --format text %s -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

void use(int);
void use_ref(int &);
void *c_entry(void *);
int global_count;

void bad_detached_ref_capture() {
  int count = 42;
  // CHECK: :[[@LINE+2]]:3: warning: the thread may use local `count` (captured by reference) after it is destroyed: the thread is detached [snag-dangling-capture]
  // CHECK: :[[@LINE-2]]:7: note: `count` is declared here and dies when its scope ends
  std::thread([&count] { use(count); }).detach();
}

void bad_detached_default_ref_capture() {
  int count = 1;
  // CHECK: :[[@LINE+1]]:15: warning: the thread may use local `count` (captured by reference){{.*}} [snag-dangling-capture]
  std::thread t([&] { use(count); });
  t.detach();
}

void bad_std_ref() {
  int value = 0;
  // CHECK: :[[@LINE+1]]:15: warning: the thread may use local `value` (passed with std::ref){{.*}} [snag-dangling-capture]
  std::thread t(use_ref, std::ref(value));
  t.detach();
}

void bad_pthread_address() {
  int value = 0;
  pthread_t t;
  // CHECK: :[[@LINE+1]]:3: warning: the thread may use local `value` (passed by address){{.*}} [snag-dangling-capture]
  pthread_create(&t, 0, c_entry, &value);
  pthread_detach(t);
}

void bad_joined_after_scope() {
  std::thread t;
  {
    int inner = 0;
    // CHECK: :[[@LINE+1]]:9: warning: the thread may use local `inner` (captured by reference) after it is destroyed: the thread is joined only after `inner` has gone out of scope [snag-dangling-capture]
    t = std::thread([&inner] { use(inner); });
  }
  t.join();
}

std::thread bad_returned() {
  int local = 3;
  // CHECK: :[[@LINE+1]]:10: warning: the thread may use local `local` (captured by reference){{.*}} handed out of `bad_returned` [snag-dangling-capture]
  return std::thread([&local] { use(local); });
}

void ok_detached_by_value() {
  int count = 42;
  std::thread([count] { use(count); }).detach();
}

void ok_detached_global() {
  std::thread([] { use(global_count); }).detach();
}

void ok_ref_capture_joined() {
  int count = 42;
  std::thread t([&count] { use(count); });
  t.join();
}

void ok_std_ref_joined() {
  int value = 0;
  std::thread t(use_ref, std::ref(value));
  t.join();
}

void ok_pthread_address_joined() {
  int value = 0;
  pthread_t t;
  pthread_create(&t, 0, c_entry, &value);
  pthread_join(t, 0);
}

void ok_reference_parameter(int &shared) {
  std::thread([&shared] { use(shared); }).detach();
}

void ok_vector_joined_in_scope() {
  int count = 0;
  std::vector<std::thread> threads;
  threads.emplace_back([&count] { use(count); });
  for (auto &t : threads)
    t.join();
}
