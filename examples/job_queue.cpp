// A job queue done right: a stop flag, a predicate on every wait, workers
// joined before the queue goes away.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
// nothing, with snag check or snag run.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class JobQueue {
public:
  explicit JobQueue(int workers) {
    for (int i = 0; i < workers; ++i)
      threads_.emplace_back([this] { work(); });
  }
  ~JobQueue() {
    {
      std::lock_guard<std::mutex> g(m_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : threads_)
      t.join();
  }
  void push(int job) {
    {
      std::lock_guard<std::mutex> g(m_);
      jobs_.push(job);
    }
    cv_.notify_one();
  }

private:
  void work() {
    for (;;) {
      std::unique_lock<std::mutex> lk(m_);
      cv_.wait(lk, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty())
        return;
      int job = jobs_.front();
      jobs_.pop();
      lk.unlock();
      std::printf("job %d\n", job);
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::queue<int> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

int main() {
  JobQueue q(3);
  for (int i = 0; i < 10; ++i)
    q.push(i);
}
