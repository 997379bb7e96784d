// An inventory of widgets shared by seller threads. restock() is correct;
// sell() checks the stock under the lock, lets go of it, and writes the new
// count under the lock again: two sellers can both see the last widget and
// both sell it.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
//   snag check  line 26  atomicity-violation  sell() reads widgets_, unlocks, writes it back
// snag run finds nothing: every access holds the lock, so neither the shim
// nor ThreadSanitizer sees a race; the lost update is in the logic.
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

class Inventory {
public:
  void restock(int count) {
    std::lock_guard<std::mutex> g(m_);
    widgets_ += count;
  }

  bool sell() {
    int left;
    {
      std::lock_guard<std::mutex> g(m_);
      left = widgets_;
    }
    if (left == 0)
      return false;
    std::lock_guard<std::mutex> g(m_);
    widgets_ = left - 1; // the count read above may be stale by now
    return true;
  }

  int widgets() {
    std::lock_guard<std::mutex> g(m_);
    return widgets_;
  }

private:
  std::mutex m_;
  int widgets_ = 0;
};

// Four sellers, five sales each, from a stock of ten.
static void sell_out(Inventory &inv) {
  std::vector<std::thread> sellers;
  for (int i = 0; i < 4; ++i)
    sellers.emplace_back([&inv] {
      for (int j = 0; j < 5; ++j)
        inv.sell();
    });
  for (auto &t : sellers)
    t.join();
}

int main() {
  Inventory inv;
  inv.restock(10);
  sell_out(inv);
  std::printf("%d widgets left\n", inv.widgets());
}
