// A store that compacts in the background through Env::Schedule, as
// leveldb's DBImpl does: the job re-schedules itself while work remains.
#include "env.h"
#include <mutex>

namespace store {
class DB {
public:
  explicit DB(Env *env) : env_(env) {}
  void Put(int v) {
    std::lock_guard<std::mutex> l(mu_);
    pending_ += v;
    MaybeSchedule();
  }
  int bad_Level() { return level_; }
  int ok_LevelLocked() {
    std::lock_guard<std::mutex> l(mu_);
    return level_;
  }

private:
  // Called with mu_ held.
  void MaybeSchedule() {
    if (scheduled_ || pending_ == 0)
      return;
    scheduled_ = true;
    env_->Schedule(&DB::BGWork, this);
  }
  static void BGWork(void *db) { reinterpret_cast<DB *>(db)->BackgroundCall(); }
  void BackgroundCall() {
    ++compactions_; // only the background job writes it
    std::lock_guard<std::mutex> l(mu_);
    Compact();
    scheduled_ = false;
    MaybeSchedule();
  }
  void Compact() {
    level_ += pending_;
    pending_ = 0;
  }

  Env *env_;
  std::mutex mu_;
  bool scheduled_ = false;
  int pending_ = 0;
  int level_ = 0;
  int compactions_ = 0;
};
} // namespace store

store::DB db(store::Env::Default());

int main() {
  db.Put(1);
  int a = db.bad_Level();
  int b = db.ok_LevelLocked();
  return a + b;
}
