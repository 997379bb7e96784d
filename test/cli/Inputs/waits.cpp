// Condition waits with no predicate, each silenced (or not) by a comment.
#include <condition_variable>
#include <mutex>

std::mutex m;
std::condition_variable cv;

void not_silenced() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
}

void same_line() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk); // NOLINT(snag-condvar-wait-no-predicate)
}

void next_line() {
  std::unique_lock<std::mutex> lk(m);
  // NOLINTNEXTLINE(snag-*)
  cv.wait(lk);
}

// NOLINTBEGIN(snag-condvar-*)
void in_block() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
}
// NOLINTEND(snag-condvar-*)

void bare_nolint() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk); // NOLINT
}

void other_tool() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk); // NOLINT(bugprone-spuriously-wake-up-functions)
}

void other_snag_rule() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk); // NOLINT(snag-missing-join)
}

void after_block() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
}
