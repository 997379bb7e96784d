// One background thread, started on first use, runs the jobs in turn.
#include "env.h"
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace store {
namespace {
class PosixEnv : public Env {
public:
  void Schedule(void (*work)(void *arg), void *arg) override;

private:
  struct Item {
    Item(void (*work)(void *), void *arg) : work(work), arg(arg) {}
    void (*work)(void *);
    void *arg;
  };
  static void Entry(PosixEnv *env) { env->BackgroundMain(); }
  void BackgroundMain();

  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  std::deque<Item> queue_;
};

void PosixEnv::Schedule(void (*work)(void *arg), void *arg) {
  std::unique_lock<std::mutex> l(mu_);
  if (!started_) {
    started_ = true;
    std::thread t(PosixEnv::Entry, this);
    t.detach();
  }
  queue_.emplace_back(work, arg);
  cv_.notify_one();
}

void PosixEnv::BackgroundMain() {
  while (true) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return !queue_.empty(); });
    auto work = queue_.front().work;
    void *arg = queue_.front().arg;
    queue_.pop_front();
    l.unlock();
    work(arg);
  }
}
} // namespace

Env *Env::Default() {
  static PosixEnv env;
  return &env;
}
} // namespace store
