// RUN: not %snag check --no-cache --format text %s -- 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <mutex>
#include <vector>

class Inbox {
public:
  std::size_t size() {
    std::lock_guard<std::mutex> g(m_);
    // CHECK: :[[@LINE-1]]:33: warning: `m_` is taken again{{.*}} [snag-double-lock]
    return items_.size();
  }
  void bad_push_if_small(int v) {
    std::lock_guard<std::mutex> g(m_);
    if (size() < 10)
      items_.push_back(v);
  }

private:
  std::mutex m_;
  std::vector<int> items_;
};

std::recursive_mutex rm;
int depth;
void ok_recursive(int n) {
  std::lock_guard<std::recursive_mutex> g(rm);
  if (n > 0)
    ok_recursive(n - 1);
  depth = n;
}
