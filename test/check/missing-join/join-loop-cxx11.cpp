// Join loops over a container whose iterators are classes, in C++11, where the
// range-for copies the iterator that begin() returns.
// RUN: not %snag check --no-cache --format text %s -- -std=c++11 -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

void work();

template <class T> class ring {
public:
  struct iterator {
    iterator(const iterator &);
    T &operator*() const;
    iterator &operator++();
    bool operator!=(const iterator &) const;
  };
  template <class... A> T &emplace_back(A &&...a);
  iterator begin();
  iterator end();
};

void ok_range_for_join_cxx11() {
  ring<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(work);
  for (auto &t : threads)
    t.join();
}

void ok_iterator_loop_join_cxx11() {
  ring<std::thread> threads;
  threads.emplace_back(work);
  for (ring<std::thread>::iterator it = threads.begin(); it != threads.end(); ++it)
    (*it).join();
}

void bad_range_for_without_join_cxx11() {
  ring<std::thread> threads;
  // CHECK: :[[@LINE+1]]:3: warning: the threads added to `threads` are never joined{{.*}} [snag-missing-join]
  threads.emplace_back(work);
  for (auto &t : threads)
    (void)t.joinable();
}
