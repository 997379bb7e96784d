//===- TsanReports.cpp - ThreadSanitizer's report text turned into findings ===//
#include "run/TsanReports.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <map>

using namespace llvm;

namespace snag {

StringRef tsanKindToRule(StringRef Kind) {
  // The kind is the text between "ThreadSanitizer: " and " (pid=": see
  // ReportTypeString in compiler-rt's tsan_report.cpp. Prefixes, so that a
  // runtime that adds a qualifier ("data race on vptr ...") still maps.
  static const std::pair<StringRef, StringRef> Table[] = {
      {"data race", "data-race"},
      {"race on external object", "data-race"},
      {"heap-use-after-free", "heap-use-after-free"},
      {"thread leak", "missing-join"},
      {"destroy of a locked mutex", "mutex-destroyed-locked"},
      {"double lock of a mutex", "double-lock"},
      {"unlock of an unlocked mutex", "unlock-not-held"},
      {"read unlock of a write locked mutex", "unlock-not-held"},
      {"read lock of a write locked mutex", "double-lock"},
      {"use of an invalid mutex", "invalid-mutex-use"},
      {"lock-order-inversion", "lock-order-inversion"},
      {"signal-unsafe call inside of a signal", "signal-unsafe-call"},
      {"signal handler spoils errno", "signal-handler-errno"},
  };
  for (const auto &[Prefix, Rule] : Table)
    if (Kind.starts_with(Prefix))
      return Rule;
  return "tsan-report";
}

bool parseTsanFrame(StringRef Line, Frame &F) {
  // `#N function location (module+0xoffset) (BuildId: hex)`; function names
  // hold spaces, file paths (as the symbolizer prints them) do not.
  static const Regex FrameRE("^[[:space:]]*#[0-9]+[[:space:]]+(.*)$");
  SmallVector<StringRef, 2> M;
  if (!FrameRE.match(Line, &M))
    return false;
  StringRef Rest = M[1].rtrim();
  F = Frame();
  static const Regex BuildIdRE("^(.*)[[:space:]]+\\(BuildId: [0-9a-fA-F]+\\)$");
  SmallVector<StringRef, 2> B;
  if (BuildIdRE.match(Rest, &B))
    Rest = B[1];
  static const Regex ModuleRE(
      "^(.*)[[:space:]]*\\(([^()[:space:]]+)\\+(0x[0-9a-fA-F]+)\\)$");
  SmallVector<StringRef, 4> Mod;
  if (ModuleRE.match(Rest, &Mod)) {
    F.Module = Mod[2].str();
    Mod[3].drop_front(2).getAsInteger(16, F.Address);
    Rest = Mod[1].rtrim();
  }
  if (Rest.empty())
    return true;
  // An unsymbolized frame is a bare address.
  if (Rest.starts_with("0x") && !Rest.contains(' ')) {
    Rest.drop_front(2).getAsInteger(16, F.Address);
    return true;
  }
  auto [Function, Location] = Rest.rsplit(' ');
  if (Location.empty()) { // one word: a function with no location, or "<null>"
    if (Function != "<null>")
      F.Function = Function.str();
    return true;
  }
  if (Function != "<null>")
    F.Function = Function.str();
  if (Location == "<null>")
    return true;
  static const Regex LocRE("^(.*[^0-9:]):([0-9]+)(:([0-9]+))?$");
  SmallVector<StringRef, 5> L;
  if (LocRE.match(Location, &L)) {
    F.Where.File = L[1].str();
    L[2].getAsInteger(10, F.Where.Line);
    if (!L[4].empty())
      L[4].getAsInteger(10, F.Where.Column);
  } else {
    F.Where.File = Location.str(); // a file without a line, or an object file
  }
  return true;
}

bool isUserFrame(const Frame &F) {
  if (!F.Where.known())
    return false;
  StringRef File = F.Where.File;
  if (File.starts_with("/usr/") || File.starts_with("/lib") ||
      File.contains("/include/c++/") || File.contains("sysdeps/") ||
      File.starts_with("csu/") || File.starts_with("./") ||
      File.ends_with(".o") || File.contains("compiler-rt/lib/") ||
      File.contains("libsanitizer/") ||
      File.contains("/sanitizer_common/"))
    return false;
  StringRef Fn = F.Function;
  return !Fn.starts_with("__tsan_") && !Fn.starts_with("__interceptor_") &&
         !Fn.starts_with("___interceptor_");
}

namespace {

/// Reads a log line by line, grouping lines into reports.
class LogSplitter {
public:
  LogSplitter(StringRef Source, unsigned DefaultPid, TsanLogResult &Out)
      : Source(Source), DefaultPid(DefaultPid), Out(Out) {}

  void line(StringRef Raw, unsigned LineNo);
  std::vector<TsanReport> finish();

private:
  void close(bool CutByNext);

  std::string Source;
  unsigned DefaultPid;
  TsanLogResult &Out;
  std::vector<TsanReport> Done;
  bool Open = false;
  bool SawSeparatorAfterSummary = false;
  TsanReport Cur;
};

} // namespace

void LogSplitter::close(bool CutByNext) {
  if (!Open)
    return;
  if (!Cur.Complete)
    Out.Warnings.push_back(
        "the ThreadSanitizer report at " + Cur.Source + " (" + Cur.Kind +
        ") is cut short" +
        (CutByNext ? ": another report began before it ended"
                   : ": the log ends in the middle of it (a crash or a kill)") +
        "; what was read is reported");
  Done.push_back(std::move(Cur));
  Cur = TsanReport();
  Open = false;
}

void LogSplitter::line(StringRef Raw, unsigned LineNo) {
  StringRef L = Raw.rtrim("\r\n");
  // "WARNING: ThreadSanitizer: <kind> (pid=N)" starts a report; so does the
  // "==N==ERROR: ThreadSanitizer: SEGV ..." of a crash. Program output may
  // stand in front of it on the same line when both go to one stream.
  size_t W = L.find("WARNING: ThreadSanitizer: ");
  size_t E = L.find("ERROR: ThreadSanitizer: ");
  if (W != StringRef::npos || E != StringRef::npos) {
    close(/*CutByNext=*/true);
    Open = true;
    SawSeparatorAfterSummary = false;
    StringRef Text = W != StringRef::npos ? L.substr(W + 26) : L.substr(E + 24);
    static const Regex PidRE("^(.*)[[:space:]]+\\(pid=([0-9]+)\\)[[:space:]]*$");
    SmallVector<StringRef, 3> M;
    Cur.Pid = DefaultPid;
    if (PidRE.match(Text, &M)) {
      Cur.Kind = M[1].str();
      M[2].getAsInteger(10, Cur.Pid);
    } else {
      Cur.Kind = Text.trim().str();
    }
    Cur.Source = Source + ":" + std::to_string(LineNo);
    Cur.RawLines.push_back(L.substr(W != StringRef::npos ? W : E).str());
    return;
  }
  StringRef T = L.trim();
  // The runtime's own assertion: it exits right after, with the exitcode
  // snag set to 0, so this line is the only sign of the crash.
  if (T.contains("Sanitizer: CHECK failed:") || T.contains("Sanitizer CHECK failed:")) {
    close(/*CutByNext=*/false);
    Out.RuntimeFailures.push_back(Source + ":" + std::to_string(LineNo) + ": " + T.str());
    return;
  }
  if (T.starts_with("ThreadSanitizer: reported ")) {
    unsigned N = 0;
    if (!T.drop_front(26).consumeInteger(10, N))
      Out.ReportsAnnounced += N;
    close(false);
    return;
  }
  if (!Open)
    return; // program output, or ThreadSanitizer's own chatter between reports
  if (T.starts_with("==================")) {
    // The closing separator: the report is whole, with or without its
    // SUMMARY line (a program that overrides
    // __sanitizer_report_error_summary takes that line for itself).
    if (!Cur.Sections.empty())
      Cur.Complete = true;
    if (Cur.Complete)
      close(false);
    return;
  }
  Cur.RawLines.push_back(L.str());
  if (T.starts_with("SUMMARY: ThreadSanitizer:")) {
    Cur.Complete = true;
    return;
  }
  if (T.empty() || T.starts_with("Hint:"))
    return;
  Frame F;
  if (T.starts_with("#") && parseTsanFrame(T, F)) {
    if (Cur.Sections.empty())
      Cur.Sections.emplace_back(); // the stack right under the WARNING line
    Cur.Sections.back().Frames.push_back(std::move(F));
    return;
  }
  // ThreadSanitizer indents its headings; text at column 0 inside a report is
  // the program's output that ended up in the same stream.
  if (L.starts_with(" ") || L.starts_with("\t")) {
    TsanSection S;
    S.Heading = T.rtrim(':').str();
    Cur.Sections.push_back(std::move(S));
    return;
  }
  ++Cur.ForeignLines;
  Cur.RawLines.pop_back();
}

std::vector<TsanReport> LogSplitter::finish() {
  close(false);
  return std::move(Done);
}

std::vector<TsanReport> splitTsanLog(StringRef Text, StringRef SourceName,
                                     unsigned DefaultPid, TsanLogResult &Out) {
  LogSplitter S(SourceName, DefaultPid, Out);
  unsigned LineNo = 0;
  SmallVector<StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (StringRef L : Lines)
    S.line(L, ++LineNo);
  return S.finish();
}

namespace {

/// The first frame of \p S in user code, else the first frame with a source
/// line, else null.
const Frame *primaryFrame(const TsanSection &S) {
  for (const Frame &F : S.Frames)
    if (isUserFrame(F))
      return &F;
  for (const Frame &F : S.Frames)
    if (F.Where.known())
      return &F;
  return nullptr;
}

std::string functionOf(const TsanSection &S) {
  if (const Frame *F = primaryFrame(S))
    return F->Function;
  // A user's function with no line (a static initializer) beats the
  // interceptor at the top of the stack.
  for (const Frame &F : S.Frames) {
    Frame WithLine = F;
    WithLine.Where.Line = 1;
    if (!F.Where.File.empty() && isUserFrame(WithLine))
      return F.Function;
  }
  return S.Frames.empty() ? "" : S.Frames.front().Function;
}

/// "prod(std::vector<int> const&, ...)" -> "prod": the name a reader knows.
std::string shortName(StringRef Fn) {
  Fn = Fn.trim();
  Fn.consume_back(" const");
  if (!Fn.ends_with(")"))
    return Fn.str();
  int Depth = 0;
  for (size_t I = Fn.size(); I-- > 0;) {
    if (Fn[I] == ')')
      ++Depth;
    else if (Fn[I] == '(' && --Depth == 0)
      return I == 0 ? Fn.str() : Fn.take_front(I).str();
  }
  return Fn.str();
}

std::string shortFunctionOf(const TsanSection &S) {
  return shortName(functionOf(S));
}

/// "write of size 4" from an access heading, with its thread and mutexes.
struct Access {
  const TsanSection *S = nullptr;
  std::string What;    // "write of size 4", "atomic read of size 1"
  std::string Thread;  // "thread T2", "main thread"
  std::string Mutexes; // "write M0, read M1"
};

bool parseAccess(const TsanSection &S, Access &A) {
  // "[Previous ][atomic ]write of size 4 at 0x... by thread T2[ (mutexes: write M0)]"
  static const Regex AccessRE("^(Previous )?(([Aa]tomic )?([Rr]ead|[Ww]rite)"
                              " of size [0-9]+) at [^ ]+ by ([^(]*[^ (])"
                              "( \\(mutexes: ([^)]*)\\))?$");
  SmallVector<StringRef, 8> M;
  if (!AccessRE.match(S.Heading, &M))
    return false;
  A.S = &S;
  A.What = M[2].lower();
  A.Thread = M[5].str();
  A.Mutexes = M[7].str();
  return true;
}

std::string shortThread(StringRef Thread) {
  // "thread T2" -> "T2", "main thread" -> "the main thread"
  if (Thread.consume_front("thread "))
    return Thread.str();
  return ("the " + Thread).str();
}

/// The variable a report's "Location is global 'x' ..." names.
std::string globalName(const TsanReport &R) {
  static const Regex GlobalRE("^Location is global '([^']+)'");
  for (const TsanSection &S : R.Sections) {
    SmallVector<StringRef, 2> M;
    if (GlobalRE.match(S.Heading, &M) && M[1] != "??")
      return M[1].str();
  }
  return "";
}

void addRelated(Finding &F, const TsanSection &S, std::string Message) {
  // Only a frame of the user's: a note in a C library file helps no one
  // (the stack itself is still in the report).
  for (const Frame &Fr : S.Frames)
    if (isUserFrame(Fr)) {
      F.Related.push_back({Fr.Where, std::move(Message)});
      return;
    }
}

void addStacks(Finding &F, const TsanReport &R) {
  for (const TsanSection &S : R.Sections)
    if (!S.Frames.empty())
      F.Stacks.push_back(
          {S.Heading.empty() ? std::string("where it happens") : S.Heading,
           S.Frames});
}

/// Thread creation and location sections, shared by every kind.
void addContext(Finding &F, const TsanReport &R) {
  static const Regex ThreadRE("^Thread (T[0-9]+) \\([^)]*\\) created by (.*) at$");
  static const Regex HeapRE("^Location is heap block of size ([0-9]+) at [^ ]+ "
                            "allocated by (.*)$");
  static const Regex MutexRE("^Mutex (M[0-9]+) \\([^)]*\\) created at$");
  for (const TsanSection &S : R.Sections) {
    SmallVector<StringRef, 3> M;
    if (ThreadRE.match(S.Heading, &M))
      addRelated(F, S, ("thread " + M[1] + " is started here").str());
    else if (HeapRE.match(S.Heading, &M))
      addRelated(F, S,
                 ("the heap block (" + M[1] + " bytes) is allocated here by " +
                  shortThread(M[2]))
                     .str());
    else if (MutexRE.match(S.Heading, &M))
      addRelated(F, S, ("mutex " + M[1] + " is first used here").str());
  }
}

std::string sortedPair(std::string A, std::string B) {
  if (B < A)
    std::swap(A, B);
  return A + "|" + B;
}

void dataRace(TsanFinding &TF) {
  const TsanReport &R = TF.Report;
  Finding &F = TF.F;
  std::vector<Access> Accesses;
  for (const TsanSection &S : R.Sections) {
    Access A;
    if (parseAccess(S, A))
      Accesses.push_back(A);
  }
  if (Accesses.empty()) {
    TF.Readable = false;
    return;
  }
  const Access &Cur = Accesses[0];
  std::string Var = globalName(R);
  std::string Target = !Var.empty() ? "`" + Var + "`" : "the same memory";
  for (const TsanSection &S : R.Sections)
    if (StringRef(S.Heading).starts_with("Location is heap block"))
      Target = "a heap block";
  auto Describe = [](const Access &A) {
    std::string S = shortThread(A.Thread) + " (" + A.What;
    std::string Fn = shortFunctionOf(*A.S);
    if (!Fn.empty())
      S += " in " + Fn;
    S += A.Mutexes.empty() ? ", holding no lock" : ", holding " + A.Mutexes;
    return S + ")";
  };
  bool UseAfterFree = F.RuleId == "heap-use-after-free";
  bool SameThread = Accesses.size() > 1 && Accesses[1].Thread == Cur.Thread;
  if (UseAfterFree)
    F.Message = std::string(SameThread || Accesses.size() < 2
                                ? "memory is used after it was freed: "
                                : "memory is used after another thread freed it: ") +
                Describe(Cur);
  else
    F.Message = "threads touch " + Target + " at the same time with nothing "
                "ordering them: " + Describe(Cur);
  if (Accesses.size() > 1)
    F.Message += (UseAfterFree ? " after " : " and ") + Describe(Accesses[1]);
  if (const Frame *P = primaryFrame(*Cur.S))
    F.Where = P->Where;
  // An access from no code of the user's (an exit-time destructor inside
  // the runtime) leaves the other access as the place to look.
  for (size_t I = 1; I < Accesses.size() && !isUserFrame(Frame{"", F.Where, "", 0}); ++I)
    if (const Frame *P = primaryFrame(*Accesses[I].S))
      if (isUserFrame(*P))
        F.Where = P->Where;
  if (Accesses.size() > 1)
    addRelated(F, *Accesses[1].S,
               "the other access: " + Accesses[1].What + " by " +
                   shortThread(Accesses[1].Thread));
  addContext(F, R);
  std::string Other = Accesses.size() > 1 ? functionOf(*Accesses[1].S) : "";
  // Function names and the variable, not addresses or lines: the same race
  // seen again (another heap block, another process) gets the same key.
  F.FingerprintKey = sortedPair(functionOf(*Cur.S), Other) + "|" + Var;
}

void threadLeak(TsanFinding &TF) {
  const TsanReport &R = TF.Report;
  Finding &F = TF.F;
  static const Regex ThreadRE("^Thread (T[0-9]+) \\([^)]*\\) created by (.*) at$");
  for (const TsanSection &S : R.Sections) {
    SmallVector<StringRef, 3> M;
    if (!ThreadRE.match(S.Heading, &M))
      continue;
    F.Message = ("thread " + M[1] + ", started by " + shortThread(M[2]) +
                 ", is never joined nor detached: it is still joinable when "
                 "the process exits")
                    .str();
    if (const Frame *P = primaryFrame(S))
      F.Where = P->Where;
    F.FingerprintKey = "leak|" + functionOf(S);
    addStacks(F, R);
    return;
  }
  TF.Readable = false;
}

void mutexMisuse(TsanFinding &TF) {
  const TsanReport &R = TF.Report;
  Finding &F = TF.F;
  if (R.Sections.empty() || R.Sections.front().Frames.empty()) {
    TF.Readable = false;
    return;
  }
  const TsanSection &Here = R.Sections.front();
  std::string Var = globalName(R);
  std::string Name = Var.empty() ? "a mutex" : "mutex `" + Var + "`";
  StringRef Rule = F.RuleId;
  // What each kind says happens; {0} is the mutex, or for a signal-unsafe
  // call the function the handler called.
  static const std::pair<StringRef, const char *> Messages[] = {
      {"unlock-not-held", "the thread unlocks {0} that it does not hold (it "
                          "is unlocked, or held by another thread)"},
      {"double-lock", "{0} is locked again while it is already held: a "
                      "non-recursive lock taken twice blocks for ever"},
      {"mutex-destroyed-locked", "{0} is destroyed while it is still locked"},
      {"invalid-mutex-use", "{0} is used while it is not a valid mutex (never "
                            "initialized, or already destroyed)"},
      {"signal-unsafe-call",
       "a signal handler calls a function that is not async-signal-safe ({0}): "
       "it can deadlock or corrupt state if the signal arrives inside that "
       "function"},
      {"signal-handler-errno", "a signal handler changes errno and does not "
                               "restore it: the interrupted code sees a wrong "
                               "errno"},
  };
  std::string Subject = Name;
  if (Rule == "signal-unsafe-call")
    Subject = Here.Frames.front().Function.empty() ? std::string("unknown")
                                                   : Here.Frames.front().Function;
  F.Message = "ThreadSanitizer: " + R.Kind;
  for (const auto &[Id, Text] : Messages)
    if (Rule == Id)
      F.Message = formatv(Text, Subject).str();
  if (const Frame *P = primaryFrame(Here))
    F.Where = P->Where;
  for (const TsanSection &S : R.Sections)
    if (S.Heading == "and")
      addRelated(F, S, "where it was locked");
  addContext(F, R);
  std::string Fn = functionOf(Here);
  if (Rule == "signal-unsafe-call" && !Here.Frames.empty())
    Fn = Here.Frames.front().Function + "|" + Fn;
  F.FingerprintKey = Fn + "|" + Var;
}

void lockOrder(TsanFinding &TF) {
  const TsanReport &R = TF.Report;
  Finding &F = TF.F;
  static const Regex EdgeRE("^Mutex (M[0-9]+) acquired here while holding "
                            "mutex (M[0-9]+) in (.*)$");
  static const Regex AddrRE("(M[0-9]+) \\((0x[0-9a-fA-F]+)\\)");
  std::map<std::string, uint64_t> Addr;
  for (const TsanSection &S : R.Sections) {
    StringRef H = S.Heading;
    if (!H.consume_front("Cycle in lock order graph: "))
      continue;
    SmallVector<StringRef, 3> M;
    while (AddrRE.match(H, &M)) {
      uint64_t A = 0;
      M[2].drop_front(2).getAsInteger(16, A);
      if (!Addr.count(M[1].str())) {
        Addr[M[1].str()] = A;
        TF.CycleLocks.push_back(A);
      }
      H = H.substr(H.find(M[0]) + M[0].size());
    }
  }
  std::vector<std::string> Functions;
  std::string Order;
  for (const TsanSection &S : R.Sections) {
    SmallVector<StringRef, 4> M;
    if (!EdgeRE.match(S.Heading, &M))
      continue;
    TF.EdgeThreads.push_back(M[3].str());
    std::string Fn = shortFunctionOf(S);
    Functions.push_back(functionOf(S));
    if (!F.Where.known())
      if (const Frame *P = primaryFrame(S))
        F.Where = P->Where;
    std::string What = (shortThread(M[3]) + " takes " + M[1] + " while holding " +
                        M[2] + (Fn.empty() ? "" : " in " + Fn))
                           .str();
    if (Order.empty())
      Order = What;
    else
      addRelated(F, S, What);
  }
  if (Functions.empty()) {
    TF.Readable = false;
    return;
  }
  F.Message = "locks are taken in orders that form a cycle, so threads can "
              "deadlock: " + Order;
  for (size_t I = 1; I < TF.EdgeThreads.size(); ++I)
    F.Message += "; " + shortThread(TF.EdgeThreads[I]) + " takes them the other "
                 "way";
  addContext(F, R);
  llvm::sort(Functions);
  F.FingerprintKey = "cycle|" + join(Functions, "|");
}

void generic(TsanFinding &TF) {
  const TsanReport &R = TF.Report;
  Finding &F = TF.F;
  F.Message = "ThreadSanitizer reports: " + R.Kind;
  for (const TsanSection &S : R.Sections)
    if (!F.Where.known())
      if (const Frame *P = primaryFrame(S))
        F.Where = P->Where;
  std::string Fn;
  for (const TsanSection &S : R.Sections)
    if (Fn.empty())
      Fn = functionOf(S);
  F.FingerprintKey = R.Kind + "|" + Fn;
  if (R.Sections.empty())
    TF.Readable = false;
}

} // namespace

TsanFinding tsanReportToFinding(const TsanReport &R) {
  TsanFinding TF;
  TF.Report = R;
  Finding &F = TF.F;
  F.Origin = "tsan";
  F.RuleId = tsanKindToRule(R.Kind).str();
  // How each rule's report is read; the mutex-misuse reader takes the rest.
  static const std::pair<StringRef, void (*)(TsanFinding &)> Readers[] = {
      {"data-race", dataRace},         {"heap-use-after-free", dataRace},
      {"missing-join", threadLeak},    {"lock-order-inversion", lockOrder},
      {"tsan-report", generic},
  };
  void (*Read)(TsanFinding &) = mutexMisuse;
  for (const auto &[Id, Reader] : Readers)
    if (F.RuleId == Id)
      Read = Reader;
  Read(TF);
  static const Regex MutexRE("^Mutex (M[0-9]+) \\((0x[0-9a-fA-F]+)\\)");
  for (const TsanSection &S : R.Sections) {
    SmallVector<StringRef, 3> M;
    uint64_t Address = 0;
    if (MutexRE.match(S.Heading, &M) && !M[2].drop_front(2).getAsInteger(16, Address))
      TF.Mutexes.push_back({M[1].str(), Address});
  }
  if (F.Stacks.empty())
    addStacks(F, R);
  if (!TF.Readable) {
    // Kept as text rather than dropped: the header is known, the rest is
    // carried in the message and the stacks that could be read.
    F.Message = "ThreadSanitizer reports " + R.Kind +
                ", in a form snag could not read; its text:\n" +
                join(R.RawLines, "\n");
    F.FingerprintKey = R.Kind + "|unreadable|" + R.Source;
  }
  if (!R.Complete)
    F.Message += " (the report was cut short: the process ended while "
                 "ThreadSanitizer was writing it)";
  return TF;
}

void parseTsanLog(StringRef Text, StringRef SourceName, TsanLogResult &Out) {
  // log_path=DIR/tsan makes ThreadSanitizer write DIR/tsan.<pid>.
  unsigned Pid = 0;
  StringRef Ext = sys::path::extension(SourceName);
  if (!Ext.empty())
    Ext.drop_front().getAsInteger(10, Pid);
  for (const TsanReport &R : splitTsanLog(Text, SourceName, Pid, Out)) {
    TsanFinding TF = tsanReportToFinding(R);
    if (!TF.Readable)
      Out.Warnings.push_back("could not read the ThreadSanitizer report at " +
                             R.Source + "; it is passed through as text:\n" +
                             join(R.RawLines, "\n"));
    Out.Findings.push_back(std::move(TF));
  }
}

void collectTsanLogs(StringRef ReportDir, TsanLogResult &Out) {
  std::vector<std::string> Logs;
  std::error_code EC;
  for (sys::fs::directory_iterator I(ReportDir, EC), End; I != End && !EC;
       I.increment(EC))
    if (sys::path::filename(I->path()).starts_with("tsan."))
      Logs.push_back(I->path());
  llvm::sort(Logs);
  std::vector<std::pair<std::string, std::string>> Texts;
  for (const std::string &Log : Logs) {
    auto Buf = MemoryBuffer::getFile(Log, /*IsText=*/true);
    if (!Buf) {
      Out.Warnings.push_back("cannot read the ThreadSanitizer log " + Log +
                             ": " + Buf.getError().message());
      continue;
    }
    Texts.push_back({Log, (*Buf)->getBuffer().str()});
  }
  collectTsanLogTexts(Texts, Out);
}

void collectTsanLogTexts(const std::vector<std::pair<std::string, std::string>> &Logs,
                         TsanLogResult &Out) {
  unsigned Before = Out.Findings.size();
  unsigned AnnouncedBefore = Out.ReportsAnnounced;
  for (const auto &[Log, Text] : Logs)
    parseTsanLog(Text, Log, Out);
  unsigned Read = Out.Findings.size() - Before;
  unsigned Announced = Out.ReportsAnnounced - AnnouncedBefore;
  if (Announced > Read)
    Out.Warnings.push_back("ThreadSanitizer says it wrote " +
                           std::to_string(Announced) + " reports; snag found " +
                           std::to_string(Read) + " in its logs");
}

} // namespace snag
