// An environment that runs background work, as leveldb's Env does: callers
// schedule through the base class and never see the thread.
#ifndef ENV_H
#define ENV_H
namespace store {
class Env {
public:
  virtual ~Env() = default;
  virtual void Schedule(void (*work)(void *arg), void *arg) = 0;
  static Env *Default();
};
} // namespace store
#endif
