// An inventory shared by worker threads. restock() is correct; sell() checks
// the stock under the lock, lets go of it, and writes the new count under the
// lock again: two sellers can both see the last item and both sell it.
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Inventory {
public:
  void restock(const std::string &item, int count) {
    std::lock_guard<std::mutex> g(m_);
    stock_[item] += count;
  }

  bool sell(const std::string &item) {
    int left;
    {
      std::lock_guard<std::mutex> g(m_);
      left = stock_[item];
    }
    if (left == 0)
      return false;
    std::lock_guard<std::mutex> g(m_);
    stock_[item] = left - 1; // the count read above may be stale by now
    return true;
  }

private:
  std::mutex m_;
  std::map<std::string, int> stock_;
};

int main() {
  Inventory inv;
  inv.restock("widget", 10);
  std::vector<std::thread> sellers;
  for (int i = 0; i < 4; ++i)
    sellers.emplace_back([&inv] {
      for (int j = 0; j < 5; ++j)
        inv.sell("widget");
    });
  for (auto &t : sellers)
    t.join();
  std::puts("done");
}
