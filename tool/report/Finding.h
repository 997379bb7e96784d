//===- Finding.h - One finding model for snag check and snag run ----------===//
//
// A finding is what every analysis produces and every writer prints: a rule
// id, a message that says what happens at run time, a primary location,
// related locations each with its own message, and (for snag run) stacks.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_REPORT_FINDING_H
#define SNAG_REPORT_FINDING_H

#include <cstdint>
#include <string>
#include <vector>

namespace snag {

/// A point in a source file. Line and column are 1-based; 0 means unknown.
struct SourcePoint {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  bool known() const { return !File.empty() && Line != 0; }
};

/// Another place that explains a finding: the other access, the thread
/// start, the other lock, the path that leaves a thread joinable.
struct RelatedLocation {
  SourcePoint Where;
  std::string Message;
};

/// One frame of a runtime stack, symbolized after the run.
struct Frame {
  std::string Function;
  SourcePoint Where;
  std::string Module;
  uint64_t Address = 0;
  /// The line where the function's definition starts, 0 if unknown.
  unsigned FunctionLine = 0;
};

/// A runtime stack with a title such as "thread T2 takes `m2` while holding
/// `m1`".
struct Stack {
  std::string Title;
  std::vector<Frame> Frames;
};

enum class Severity { Warning, Error };

struct Finding {
  /// Bare rule id from the registry ("missing-join"); writers add the
  /// `snag-` prefix where the namespace is shared (text output).
  std::string RuleId;
  Severity Level = Severity::Warning;
  std::string Message;
  SourcePoint Where;
  std::vector<RelatedLocation> Related;
  std::vector<Stack> Stacks;
  /// What identifies this finding independently of line numbers: the
  /// enclosing function, the variable or lock names. The fingerprint is a
  /// hash of the rule id, the file's name and this key, so it survives
  /// unrelated edits above the finding.
  std::string FingerprintKey;
  /// "check" for static findings, "run" for the shim, "tsan" for
  /// ThreadSanitizer reports brought in by snag run.
  std::string Origin = "check";
  /// Set when a runtime finding confirms a static one ("file:line").
  std::string Confirms;

  /// A stable hex fingerprint (see FingerprintKey).
  std::string fingerprint() const;
};

/// A problem snag had doing its job (a TU that did not parse, an unreadable
/// file). Reported alongside findings; any of them makes the exit status 2.
struct ToolError {
  std::string File;
  std::string Message;
  unsigned Line = 0; // where in File, when known (Clang's first error)
  unsigned Column = 0;
};

/// How the program that `snag run` ran ended, and what was observed of it.
struct RunOutcome {
  bool Present = false;
  int ExitStatus = -1;   // its exit status, or -1 when a signal ended it
  std::string Signal;    // "SIGSEGV" when a signal ended it
  unsigned Processes = 0; // processes the runtime observed
};

/// One lock of `snag run --profile`'s contention profile.
struct ProfiledLock {
  std::string Name;    // `variable`, or "lock #N (0x...)"
  std::string Process; // "" or "process PID (exe)" when several were observed
  uint64_t Acquisitions = 0;
  uint64_t Contended = 0; // acquisitions that had to wait
  uint64_t WaitTotalNs = 0, WaitMaxNs = 0;
  uint64_t HoldTotalNs = 0, HoldMaxNs = 0;
};

/// A call site where threads waited for a lock.
struct ProfiledSite {
  SourcePoint Where;
  std::string Function;
  std::string Lock;
  std::string Process;
  uint64_t Waits = 0;
  uint64_t WaitTotalNs = 0, WaitMaxNs = 0;
};

/// The lock contention profile of a run (snag run --profile).
struct LockProfile {
  bool Present = false;
  std::vector<ProfiledLock> Locks; // by total wait, then acquisitions
  std::vector<ProfiledSite> Sites; // by total wait
  /// Locks gone before the end that never had to wait, summed.
  uint64_t OtherLocks = 0, OtherAcquisitions = 0;
};

/// Whether the code of a race suspect ran, from the coverage of the run.
enum class SuspectReach {
  NotKnown,   // no coverage of the code of some side
  Ran,        // every side's code ran (both sides of the race)
  PartlyRan,  // one side's code ran, the other's did not
  NotRan,     // no side's code ran
};

/// What one run says of a race suspect.
enum class SuspectStatus {
  Confirmed,    // a race this run reported matches it
  Refuted,      // its code ran, both sides, and no race was reported
  NotReached,   // its code (one side at least) did not run
  NotConfirmed, // no race, and whether its code ran is not known
};

/// `snag run --static`: a race suspect of the snag check log, and whether
/// this run confirmed it, refuted it or did not reach it.
struct StaticSuspect {
  std::string RuleId;
  SourcePoint Where;
  std::string Message;
  /// The other side(s) of the race: the conflicting accesses the static
  /// finding names (empty: the same code on two threads).
  std::vector<SourcePoint> OtherSides;
  /// Where the runtime finding that confirms it is; empty: not confirmed.
  SourcePoint ConfirmedBy;
  SuspectReach Reach = SuspectReach::NotKnown;

  SuspectStatus status() const;
};

/// The ids of SuspectStatus in JSON, SARIF and HTML ("not-reached") and in
/// text ("not reached").
const char *suspectStatusId(SuspectStatus S);
const char *suspectStatusText(SuspectStatus S);
/// The ids of SuspectReach in JSON and SARIF ("partly-ran").
const char *suspectReachId(SuspectReach R);
constexpr int SuspectReachCount = 4;

struct StaticCrossCheck {
  bool Present = false;
  std::string Log; // the snag check SARIF log, as given
  std::vector<StaticSuspect> Suspects;
  /// Whether the run left coverage (a build with -fsanitize-coverage), and
  /// if not, why the reach of the suspects is not known.
  bool Coverage = false;
  std::string NoCoverageWhy;
  unsigned confirmed() const;
  unsigned count(SuspectStatus S) const;
};

/// Everything one snag invocation reports.
struct Report {
  std::string Command; // "check" or "run"
  std::vector<Finding> Findings;
  std::vector<ToolError> Errors;
  unsigned UnitsAnalysed = 0;
  unsigned UnitsFailed = 0;
  RunOutcome Run; // snag run only
  LockProfile Profile; // snag run --profile only
  StaticCrossCheck Static; // snag run --static only

  /// Sorts findings by file, line, column and rule, and drops exact
  /// duplicates (same rule, same primary location, same fingerprint).
  void normalize();
};

} // namespace snag

#endif

namespace llvm::json {
class Value;
class Path;
} // namespace llvm::json

namespace snag {
/// Findings round-trip through JSON for the per-TU facts cache.
llvm::json::Value toJSON(const Finding &F);
bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path P);
} // namespace snag
