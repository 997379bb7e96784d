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

// Local objects of code that several threads run: each thread's own.
class Tally {
public:
  void add() { n_++; }
  int get() const { return n_; }
private:
  int n_ = 0;
};
int tally_once() {
  Tally t;
  t.add();
  return t.get();
}
void tally_worker() {
  tally_once();
  Tally mine;
  mine.add();
}
int ok_local_objects_of_each_thread() {
  std::thread a(tally_worker), b(tally_worker);
  int r = tally_once();
  a.join();
  b.join();
  return r;
}

int ok_local_objects_of_threads_started_in_a_loop() {
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back(tally_worker);
  for (int i = 0; i < 4; ++i)
    ts[i].join();
  return 0;
}

// A copy of the object: the thread runs on its own.
class Copied {
public:
  void loop() { n_++; }
  int count() const { return n_; }
private:
  int n_ = 0;
};
int ok_thread_on_a_copy() {
  Copied w;
  std::thread t(&Copied::loop, w);
  int c = w.count();
  t.join();
  return c;
}

int main() {
  return ok_read_after_stop() + ok_guarded() + ok_thread_touches_other_members() +
         ok_two_objects_each_with_its_thread() + ok_other_object_read_while_running() +
         ok_lambda_called_directly() + ok_local_objects_of_each_thread() +
         ok_thread_on_a_copy() + ok_local_objects_of_threads_started_in_a_loop();
}
