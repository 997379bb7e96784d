// Transfers between two accounts. transfer() locks the source account first,
// so two opposite transfers can each hold one lock and wait for the other:
// a deadlock that shows up only under load. audit() reads balances without
// taking any lock while the transfers write them.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
//   snag check  line 23  lock-order-inversion      transfer() called with the accounts swapped
//   snag check  line 29  unprotected-shared-state  audit() reads x.balance and y.balance unlocked
//   snag run    line 23  lock-order-inversion|deadlock  (deadlock when the run does hang)
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex m;
  long balance = 1000;
};

static long audited_total = 0;

void transfer(Account &from, Account &to, long amount) {
  std::lock_guard<std::mutex> a(from.m);
  std::lock_guard<std::mutex> b(to.m); // opposite orders: deadlock risk
  from.balance -= amount;
  to.balance += amount;
}

void audit(Account &x, Account &y) {
  audited_total = x.balance + y.balance; // reads without the accounts' locks
}

int main() {
  Account checking, savings;
  std::thread t1([&] {
    for (int i = 0; i < 1000; ++i)
      transfer(checking, savings, 1);
  });
  std::thread t2([&] {
    for (int i = 0; i < 1000; ++i)
      transfer(savings, checking, 1);
  });
  std::thread t3([&] { audit(checking, savings); });
  t1.join();
  t2.join();
  t3.join();
  std::printf("total %ld\n", checking.balance + savings.balance);
}
