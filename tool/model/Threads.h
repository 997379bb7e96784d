//===- Threads.h - The thread model: which calls start, join, detach threads ===//
//
// One table of thread APIs (std::thread, std::jthread, std::async,
// pthreads, C11 threads, and the user's own thread starters from
// .snag.yaml) and a recognizer over it. Given a call or a construction, the
// recognizer says "this starts a thread running that function with these
// arguments", "this joins the thread in handle H", "this detaches H", or
// "this moves the thread from one handle to another". Every rule about
// threads, and the race analysis's search for thread entry functions, reads
// threads through this model only.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_THREADS_H
#define SNAG_MODEL_THREADS_H

#include "check/Config.h"
#include "model/ProgramFacts.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <vector>

namespace snag {

struct LockImports;

class TUContext;

/// What a thread API call does to a thread.
enum class ThreadOpKind {
  Start,       // starts a thread
  Join,        // waits for it to finish
  Detach,      // lets it run on with no owner
  Joinable,    // asks whether the handle still owns a running thread
  RequestStop, // asks it to stop (std::jthread::request_stop)
};

/// Which family of API a thread belongs to.
enum class ThreadFlavor {
  StdThread, // std::thread: must be joined or detached before destruction
  JThread,   // std::jthread: joins itself on destruction
  Async,     // std::async(std::launch::async, ...): the future waits
  Pthread,   // pthread_create and friends
  C11,       // thrd_create and friends
  User,      // a thread starter named in .snag.yaml
};

/// Where a handle operand of a thread API is.
enum : int {
  HandleIsObject = -1, // the constructed object, or `this` of a method
  HandleIsResult = -2, // the value the call returns (std::async's future)
  NoArg = -3,
};

/// One row of the thread API table.
struct ThreadApi {
  /// Qualified name of the function; for a constructor, the class name;
  /// "*::emplace_back" style names match a method of any container whose
  /// elements are std::thread or std::jthread.
  llvm::StringRef Name;
  ThreadOpKind Kind;
  ThreadFlavor Flavor;
  /// The handle operand: an argument index, HandleIsObject or HandleIsResult.
  int HandleArg;
  /// Whether the handle argument is a pointer to the handle (pthread_create).
  bool HandleByAddress;
  /// Start only: the callable, and the first argument passed on to it.
  int EntryArg;
  int FirstEntryArg;
  /// Start only: whether the callable is the whole argument list (std::thread
  /// style, every argument after the callable goes to it) or one argument
  /// (pthread style, a single void *).
  bool ForwardsAllArgs;
  unsigned MinArgs;
};

/// The built-in table: std, pthread and C11 thread APIs.
llvm::ArrayRef<ThreadApi> threadApiTable();

/// A call or construction that starts a thread.
struct ThreadStart {
  /// The CallExpr, CXXMemberCallExpr or CXXConstructExpr.
  const clang::Expr *Call = nullptr;
  ThreadFlavor Flavor = ThreadFlavor::StdThread;
  /// The callable as written.
  const clang::Expr *Callable = nullptr;
  /// What runs on the new thread: a function, a method, a lambda's call
  /// operator or a functor's operator(). Null when snag cannot tell (a
  /// function pointer variable, std::bind).
  const clang::FunctionDecl *Entry = nullptr;
  /// Set when the callable is a lambda written at the start.
  const clang::LambdaExpr *Lambda = nullptr;
  /// The arguments the new thread receives (not including the callable).
  llvm::SmallVector<const clang::Expr *, 4> EntryArgs;
  /// The handle as written: for pthread_create(&t, ...) the expression `t`;
  /// for a std::thread construction the construction itself; for
  /// emplace_back the container expression; null when there is none.
  const clang::Expr *Handle = nullptr;
  /// Set for emplace-style starts: the handle is an element of Handle.
  bool IntoContainer = false;
  /// std::jthread and std::async futures wait for their thread themselves.
  bool JoinsOnDestruction = false;
  /// A user starter that may run several instances at once.
  bool Many = false;
  /// A user starter whose configuration names its handle argument
  /// (`handle-arg`): the thread belongs to Handle, as a pthread does, and
  /// the user's join and detach functions end it.
  bool UserHandle = false;
  /// An inferred starter's handle field ("f:<field USR>"), which its
  /// joiners join through.
  std::string Family;
  /// A job handed to a scheduler that one thread drains: the queue's key
  /// (ThreadFunctionFact::Queue); its jobs run one at a time.
  std::string Queue;

  /// A user starter with no handle: the user's pool owns the thread, and
  /// the lifecycle rules leave it alone.
  bool ownedByPool() const {
    return Flavor == ThreadFlavor::User && !UserHandle;
  }
};

/// A join, detach, joinable() query or stop request on a thread handle.
struct ThreadHandleOp {
  const clang::Expr *Call = nullptr;
  ThreadOpKind Kind = ThreadOpKind::Join;
  ThreadFlavor Flavor = ThreadFlavor::StdThread;
  /// The handle operand (the object of t.join(), the argument of
  /// pthread_join); pthread_self()/thrd_current() for a thread that detaches
  /// itself.
  const clang::Expr *Handle = nullptr;
  /// pthread_detach(pthread_self()): the running thread detaches itself.
  bool OnSelf = false;
};

/// A call that waits for threads to end: a thread API's join, or a
/// function of the user's that joins the handle it is given (pigz's
/// `join(thread *)`).
struct ThreadJoin {
  const clang::CallExpr *Call = nullptr;
  /// The handle joined, as the caller wrote it.
  const clang::Expr *Handle = nullptr;
  /// For a joiner of the user's: the field it joins through.
  std::string Family;
};

/// A std::thread or std::jthread moved from one handle to another: move
/// construction `std::thread b = std::move(a)` or assignment `b = ...`.
struct ThreadMove {
  const clang::Expr *Call = nullptr;
  /// The handle that receives the thread (null for a move construction whose
  /// target is the constructed object itself).
  const clang::Expr *To = nullptr;
  /// The handle the thread comes from.
  const clang::Expr *From = nullptr;
};

/// The recognizer over the table and the user's thread starters.
class ThreadModel {
public:
  explicit ThreadModel(const Config &Cfg, const LockImports *Imports = nullptr)
      : Cfg(Cfg), Imports(Imports) {}

  /// Whether \p E starts a thread (not for std::launch::deferred).
  std::optional<ThreadStart> start(const clang::Expr *E) const;
  /// Whether \p E joins, detaches, queries or stops a thread handle.
  std::optional<ThreadHandleOp> handleOp(const clang::Expr *E) const;
  /// Whether \p E moves a std::thread/std::jthread between handles.
  std::optional<ThreadMove> move(const clang::Expr *E) const;

  /// For a function of the user's that starts a thread running the function
  /// pointer it is given, the index of that parameter; the next parameter
  /// is what the thread is given. Read from the body:
  /// `pthread_create(&t, 0, fn, arg)` on its parameters, or pigz's
  /// `launch(probe, payload)`, which stores both in a block that the
  /// thread's entry unpacks (`c->probe(c->payload)`); or from another TU
  /// (TUContext::Imports).
  std::optional<unsigned> starterOf(const clang::FunctionDecl *FD) const;
  /// What a function of the user's does to threads for its caller (starts
  /// one, as starterOf says, or queues it for a thread that drains the
  /// queue (a scheduler: leveldb's `PosixEnv::Schedule(fn, arg)`, and a
  /// virtual method that a method defined here or in another TU overrides
  /// so), or joins the handle it is given: a call of
  /// pthread_join on a parameter or a parameter's field), read from its body
  /// or from another TU; null when it does neither.
  const ThreadFunctionFact *threadFunction(const clang::FunctionDecl *FD) const;
  /// Whether \p CE joins a thread: a thread API's join or a joiner's call.
  std::optional<ThreadJoin> join(const clang::CallExpr *CE) const;

private:
  /// A join or detach function from the user's configuration.
  std::optional<ThreadHandleOp> userHandleOp(const clang::CallExpr *CE,
                                             const clang::FunctionDecl *FD,
                                             llvm::StringRef Name) const;
  std::optional<unsigned> starterEntry(const clang::FunctionDecl *Def) const;
  void inferStarter(const clang::FunctionDecl *Def, ThreadFunctionFact &Out) const;
  void inferJoiner(const clang::FunctionDecl *Def, ThreadFunctionFact &Out) const;
  void inferScheduler(const clang::FunctionDecl *Def,
                      ThreadFunctionFact &Out) const;
  /// A virtual method's fact from the TU's methods that override it.
  std::optional<ThreadFunctionFact>
  overridden(const clang::CXXMethodDecl *MD) const;
  /// The TU's thread API starts (not the user's starters), each with
  /// whether it sits in a loop; found on first use.
  const std::vector<std::pair<ThreadStart, bool>> &
  apiStarts(clang::ASTContext &AST) const;
  const Config &Cfg;
  const LockImports *Imports;
  mutable llvm::DenseMap<const clang::FunctionDecl *,
                         std::optional<ThreadFunctionFact>>
      Functions;
  using OverriderMap =
      llvm::DenseMap<const clang::CXXMethodDecl *,
                     llvm::SmallVector<const clang::CXXMethodDecl *, 2>>;
  mutable std::optional<OverriderMap> Overriders;
  mutable std::optional<std::vector<std::pair<ThreadStart, bool>>> ApiStarts;
};

/// Folds into \p Into the fact of another override of the same virtual
/// method: a call through the base class may reach either.
void mergeOverride(ThreadFunctionFact &Into, const ThreadFunctionFact &Other);

/// Every method \p MD overrides, directly or through others.
void overriddenMethods(const clang::CXXMethodDecl *MD,
                       llvm::SmallVectorImpl<const clang::CXXMethodDecl *> &Out);

/// Resolves a callable expression to the function it runs: a function or
/// method name, `&f`, a lambda (its call operator), a variable initialized
/// with a lambda, a functor object (its operator()). Null when unknown.
const clang::FunctionDecl *resolveCallable(const clang::Expr *Callable);

/// The variable, field or container that a handle expression names: `t`,
/// `this->t_`, `w->tid`, `threads[i]`, `*it`... The container or array for
/// an element; null for a temporary or anything snag cannot name.
const clang::ValueDecl *handleDecl(const clang::Expr *Handle);

/// Strips parentheses, implicit casts, temporaries and std::move.
const clang::Expr *stripHandle(const clang::Expr *E);

/// std::thread (joinable-at-destruction is fatal).
bool isStdThreadType(clang::QualType T);
/// std::jthread.
bool isJThreadType(clang::QualType T);
/// A container or array whose elements are std::thread or std::jthread.
bool isThreadContainerType(clang::QualType T);
/// pthread_t or thrd_t.
bool isThreadIdType(clang::QualType T);

/// A thread start found in the TU's user code, with the function that
/// contains it.
struct ThreadStartSite {
  ThreadStart Start;
  /// The function whose body contains the start (a lambda's call operator
  /// for a start written in a lambda).
  const clang::FunctionDecl *Caller = nullptr;
  /// Whether the start sits inside a loop of Caller (several instances).
  bool InLoop = false;
};

/// Every thread start in the TU's user code, in source order. Computed once
/// per TU and shared by every analysis that asks.
const std::vector<ThreadStartSite> &threadStarts(TUContext &Ctx);

/// The thread model for this TU (built from its configuration).
const ThreadModel &threadModel(TUContext &Ctx);

} // namespace snag

#endif
