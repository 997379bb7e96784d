// A thread starter of the user's own (from .snag.yaml) that takes its work as
// a std::function: the lambda converted into it is what the thread runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'threads:\n  - {function: start_detached, entry-arg: 0, instances: many}\n' > %t/.snag.yaml
// RUN: cp %s %t/user-starter.cpp
// RUN: not %snag check --no-cache --format text %t/user-starter.cpp -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

namespace std {
template <class Sig> class function;
template <class R, class... A> class function<R(A...)> {
public:
  template <class F> function(F f) {}
  function(const function &);
  R operator()(A... a) const;
};
} // namespace std

bool start_detached(std::function<void()> &&work);
void use(int);
void wait_for_signal();

void bad_ref_capture_through_function() {
  int count = 3;
  // CHECK: :[[@LINE+1]]:3: warning: the thread may use local `count` (captured by reference){{.*}} [snag-dangling-capture]
  start_detached([&] { use(count); });
  wait_for_signal();
}

void ok_value_capture_through_function() {
  int count = 3;
  start_detached([=] { use(count); });
}

void ok_global_through_function() {
  start_detached([] { use(0); });
}
