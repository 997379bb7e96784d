// unprotected-shared-state: threads on `this` that look like a race and are
// not: joined before the read, under one lock, on other members, on other
// objects, or a lambda that is called and not started.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --allow-empty --implicit-check-not="[snag-unprotected-shared-state]"
// CHECK-NOT: warning

#include "mock-thread.h"

class ReadAfterStop {
public:
  void start() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { n_++; }
private:
  int n_ = 0;
  std::thread t_;
};
int ok_read_after_stop() {
  ReadAfterStop w;
  w.start();
  w.stop();
  return w.count();
}

class Guarded {
public:
  void start() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() {
    std::lock_guard<std::mutex> g(m_);
    return n_;
  }
  void loop() {
    std::lock_guard<std::mutex> g(m_);
    n_++;
  }
private:
  std::mutex m_;
  int n_ = 0;
  std::thread t_;
};
int ok_guarded() {
  Guarded w;
  w.start();
  int c = w.count();
  w.stop();
  return c;
}

class OwnMembers {
public:
  void start() { t_ = std::thread([this] { n_++; }); }
  void stop() { t_.join(); }
  int limit() const { return limit_; }
private:
  int n_ = 0;
  int limit_ = 10;
  std::thread t_;
};
int ok_thread_touches_other_members() {
  OwnMembers w;
  w.start();
  int l = w.limit();
  w.stop();
  return l;
}

class PerObject {
public:
  void start() { t_ = std::thread([this] { loop(); }); }
  void stop() { t_.join(); }
  int count() const { return n_; }
  void loop() { n_++; }
private:
  int n_ = 0;
  std::thread t_;
};
int ok_two_objects_each_with_its_thread() {
  PerObject a, b;
  a.start();
  b.start();
  a.stop();
  b.stop();
  return a.count() + b.count();
}
int ok_other_object_read_while_running() {
  PerObject a, b;
  a.start();
  int c = b.count(); // b has no thread running
  a.stop();
  return c;
}

class CalledNotStarted {
public:
  void tick() {
    auto bump = [this] { n_++; };
    bump();
  }
  int count() const { return n_; }
private:
  int n_ = 0;
};
int ok_lambda_called_directly() {
  CalledNotStarted w;
  w.tick();
  return w.count();
}

int main() {
  return ok_read_after_stop() + ok_guarded() + ok_thread_touches_other_members() +
         ok_two_objects_each_with_its_thread() + ok_other_object_read_while_running() +
         ok_lambda_called_directly();
}
