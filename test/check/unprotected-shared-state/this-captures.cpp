// unprotected-shared-state: threads that run on an object through `this`
// (a lambda capturing it, a method pointer, a static trampoline), racing
// with the code that started them on the same object.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-thread.h"

class CapturesThis {
public:
  void start() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { for (int i = 0; i < 100; ++i) n_++; }
  // CHECK: :[[@LINE-1]]:47: warning: `n_` is written by threads that may run at once, with no lock{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `CapturesThis::count`
  // CHECK: note: a thread running a lambda is started here
private:
  int n_ = 0;
  std::thread t_;
};
int bad_captures_this() {
  CapturesThis w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class CapturesAllByCopy {
public:
  void start() { t_ = std::thread([=] { n_++; }); }
  // CHECK: :[[@LINE-1]]:41: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `CapturesAllByCopy::count`
  void stop() { t_.join(); }
  int count() const { return n_; }
private:
  int n_ = 0;
  std::thread t_;
};
int bad_captures_all_by_copy() {
  CapturesAllByCopy w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class CapturesAllByReference {
public:
  void start() { t_ = std::thread([&] { n_++; }); }
  // CHECK: :[[@LINE-1]]:41: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `CapturesAllByReference::count`
  void stop() { t_.join(); }
  int count() const { return n_; }
private:
  int n_ = 0;
  std::thread t_;
};
int bad_captures_all_by_reference() {
  CapturesAllByReference w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class CapturesSelf {
public:
  void start() { t_ = std::thread([self = this] { self->n_++; }); }
  // CHECK: :[[@LINE-1]]:57: warning: `self->n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `CapturesSelf::count`
  void stop() { t_.join(); }
  int count() const { return n_; }
private:
  int n_ = 0;
  std::thread t_;
};
int bad_captures_self() {
  CapturesSelf w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class MethodPointer {
public:
  void start() { t_ = std::thread(&MethodPointer::loop, this); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { n_++; }
  // CHECK: :[[@LINE-1]]:17: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `MethodPointer::count`
  // CHECK: note: a thread running `MethodPointer::loop` is started here
private:
  int n_ = 0;
  std::thread t_;
};
int bad_method_pointer() {
  MethodPointer w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class Trampoline {
public:
  void start() { pthread_create(&t_, 0, &Trampoline::run, this); }
  void stop() { pthread_join(t_, 0); }
  int count() const { return n_; }
private:
  static void *run(void *arg) {
    static_cast<Trampoline *>(arg)->loop();
    return 0;
  }
  void loop() { n_++; }
  // CHECK: :[[@LINE-1]]:17: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `Trampoline::count`
  // CHECK: note: a thread running `Trampoline::run` is started here
  int n_ = 0;
  pthread_t t_;
};
int bad_trampoline() {
  Trampoline w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class StartsInConstructor {
public:
  StartsInConstructor() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { n_++; }
  // CHECK: :[[@LINE-1]]:17: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `StartsInConstructor::count`
  // CHECK: note: a thread running a lambda is started here
private:
  int n_ = 0;
  std::thread t_;
};
int bad_starts_in_constructor() {
  StartsInConstructor w;
  int c = w.count();
  w.stop();
  return c;
}

// Two objects of one class, each with its thread: the read of `a` races
// with a's thread (b's thread works on b).
class PerObject {
public:
  void start() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { n_++; }
  // CHECK: :[[@LINE-1]]:17: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `PerObject::count`
private:
  int n_ = 0;
  std::thread t_;
};
int bad_one_of_two_objects() {
  PerObject a, b;
  a.start();
  b.start();
  int c = a.count();
  b.stop();
  a.stop();
  return c;
}

// An object allocated with new and reached through a local pointer.
class OnTheHeap {
public:
  void start() { t_ = std::thread([this] { n_++; }); }
  // CHECK: :[[@LINE-1]]:44: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting read of `n_` in `OnTheHeap::count`
  void stop() { t_.join(); }
  int count() const { return n_; }
private:
  int n_ = 0;
  std::thread t_;
};
int bad_on_the_heap() {
  OnTheHeap *w = new OnTheHeap;
  w->start();
  int c = w->count();
  w->stop();
  return c;
}

// A lambda capturing `this` called directly, while the object's thread runs.
class CalledWhileRunning {
public:
  void start() { t_ = std::thread([this] { n_++; }); }
  // CHECK: :[[@LINE-1]]:44: warning: `n_` is written{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting write of `n_` in `CalledWhileRunning::tick::operator()`
  void stop() { t_.join(); }
  void tick() {
    auto bump = [this] { n_++; };
    bump();
  }
private:
  int n_ = 0;
  std::thread t_;
};
int bad_called_while_running() {
  CalledWhileRunning w;
  w.start();
  w.tick();
  w.stop();
  return 0;
}

int main() {
  return bad_captures_this() + bad_captures_all_by_copy() +
         bad_captures_all_by_reference() + bad_captures_self() +
         bad_method_pointer() + bad_trampoline() + bad_starts_in_constructor() +
         bad_one_of_two_objects() + bad_on_the_heap() + bad_called_while_running();
}
