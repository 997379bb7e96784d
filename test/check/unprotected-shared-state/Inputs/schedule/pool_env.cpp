// A pool of four threads takes jobs from one queue: two jobs can run at once.
#include "env.h"
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace store {
namespace {
class PoolEnv : public Env {
public:
  PoolEnv() {
    for (int i = 0; i < 4; ++i)
      workers_.emplace_back(&PoolEnv::Work, this);
  }
  void Schedule(void (*work)(void *arg), void *arg) override {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(Item{work, arg});
    cv_.notify_one();
  }

private:
  struct Item {
    void (*work)(void *);
    void *arg;
  };
  void Work() {
    for (;;) {
      Item item;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return !queue_.empty(); });
        item = queue_.front();
        queue_.pop_front();
      }
      item.work(item.arg);
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::vector<std::thread> workers_;
};
} // namespace

Env *Env::Default() {
  static PoolEnv env;
  return &env;
}
} // namespace store
