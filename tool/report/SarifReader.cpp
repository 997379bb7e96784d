//===- SarifReader.cpp - Reads SARIF 2.1.0 logs back into Reports ---------===//
#include "report/SarifReader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace snag {

namespace {

/// "%2F" -> "/": SARIF URIs escape what is not safe in a URI.
std::string percentDecode(StringRef S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    unsigned Byte;
    if (S[I] == '%' && I + 2 < S.size() &&
        !S.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Out += char(Byte);
      I += 2;
    } else {
      Out += S[I];
    }
  }
  return Out;
}

/// A file:// URI as a path ("file:///src/a.c" -> "/src/a.c"); any other URI
/// is a relative reference and is only decoded.
std::string uriToPath(StringRef Uri) {
  if (Uri.consume_front("file://")) {
    // file://host/path: the host part is not part of the path.
    if (!Uri.starts_with("/"))
      Uri = Uri.drop_until([](char C) { return C == '/'; });
  }
  return percentDecode(Uri);
}

/// Reads one log. Each method reports the first problem through its Path and
/// returns false; the caller turns the root's error into a message.
/// Adds the suspects counted in one run (From) to those of the runs read
/// before (Into).
void mergeStatic(StaticCrossCheck &Into, StaticCrossCheck &&From) {
  if (!From.Present)
    return;
  Into.Log = Into.Present ? Into.Log + ", " + From.Log : From.Log;
  Into.Present = true;
  Into.Coverage |= From.Coverage;
  if (Into.NoCoverageWhy.empty())
    Into.NoCoverageWhy = From.NoCoverageWhy;
  for (StaticSuspect &X : From.Suspects)
    Into.Suspects.push_back(std::move(X));
}

class LogReader {
public:
  LogReader(const SarifReadOptions &Opts, Report &Into)
      : Opts(Opts), Into(Into) {}

  bool readLog(const json::Value &V, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O) {
      P.report("expected a SARIF log object");
      return false;
    }
    std::optional<StringRef> Version = O->getString("version");
    if (!Version) {
      P.field("version").report("expected the SARIF version \"2.1.0\"");
      return false;
    }
    if (*Version != "2.1.0") {
      P.field("version").report("unsupported SARIF version (snag reads 2.1.0)");
      return false;
    }
    const json::Array *Runs = O->getArray("runs");
    if (!Runs) {
      P.field("runs").report("expected an array of runs");
      return false;
    }
    for (size_t I = 0; I < Runs->size(); ++I)
      if (!readRun((*Runs)[I], P.field("runs").index(I)))
        return false;
    return true;
  }

private:
  bool readRun(const json::Value &V, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O) {
      P.report("expected a run object");
      return false;
    }
    const json::Object *Tool = O->getObject("tool");
    const json::Object *Driver = Tool ? Tool->getObject("driver") : nullptr;
    std::optional<StringRef> ToolName =
        Driver ? Driver->getString("name") : std::nullopt;
    if (!ToolName) {
      P.field("tool").report("expected tool.driver.name");
      return false;
    }
    // Findings of other tools are shown under their tool's name.
    DefaultOrigin = *ToolName == "snag" ? "check" : ToolName->str();
    if (!readBases(O->get("originalUriBaseIds"), P.field("originalUriBaseIds")))
      return false;
    if (const json::Value *Results = O->get("results")) {
      const json::Array *A = Results->getAsArray();
      if (!A) {
        P.field("results").report("expected an array of results");
        return false;
      }
      for (size_t I = 0; I < A->size(); ++I)
        if (!readResult((*A)[I], P.field("results").index(I)))
          return false;
    }
    if (const json::Array *Invocations = O->getArray("invocations"))
      for (size_t I = 0; I < Invocations->size(); ++I)
        if (!readInvocation((*Invocations)[I],
                            P.field("invocations").index(I)))
          return false;
    if (const json::Object *Props = O->getObject("properties"))
      if (const json::Object *S = Props->getObject("snagStatic"))
        readStatic(*S);
    return true;
  }

  /// snag run --static's count of the race suspects (the run's
  /// properties.snagStatic), merged over the logs read.
  void readStatic(const json::Object &O) {
    auto Point = [](const json::Object *L) {
      SourcePoint P;
      if (L) {
        P.File = L->getString("file").value_or("").str();
        P.Line = L->getInteger("line").value_or(0);
        P.Column = L->getInteger("column").value_or(0);
      }
      return P;
    };
    StaticCrossCheck S;
    S.Present = true;
    S.Log = O.getString("log").value_or("").str();
    S.Coverage = O.getBoolean("coverage").value_or(false);
    S.NoCoverageWhy = O.getString("noCoverage").value_or("").str();
    if (const json::Array *Items = O.getArray("items"))
      for (const json::Value &V : *Items) {
        const json::Object *I = V.getAsObject();
        if (!I)
          continue;
        StaticSuspect X;
        X.RuleId = I->getString("rule").value_or("").str();
        X.Where = Point(I->getObject("location"));
        X.Message = I->getString("message").value_or("").str();
        X.ConfirmedBy = Point(I->getObject("confirmedBy"));
        StringRef Reach = I->getString("reach").value_or("not-known");
        for (int K = 0; K < SuspectReachCount; ++K)
          if (Reach == suspectReachId(static_cast<SuspectReach>(K)))
            X.Reach = static_cast<SuspectReach>(K);
        S.Suspects.push_back(std::move(X));
      }
    mergeStatic(Into.Static, std::move(S));
  }

  bool readBases(const json::Value *V, json::Path P) {
    Bases.clear();
    if (!Opts.SourceRoot.empty())
      Bases["%SRCROOT%"] = Opts.SourceRoot;
    if (!V)
      return true;
    const json::Object *O = V->getAsObject();
    if (!O) {
      P.report("expected an object of base URIs");
      return false;
    }
    for (const auto &[Key, Base] : *O) {
      const json::Object *B = Base.getAsObject();
      std::optional<StringRef> Uri = B ? B->getString("uri") : std::nullopt;
      if (!Uri) {
        P.field(Key).report("expected a base with a uri");
        return false;
      }
      if (!Bases.count(Key))
        Bases[Key] = uriToPath(*Uri);
    }
    return true;
  }

  bool readPhysical(const json::Object &Loc, json::Path P, SourcePoint &Out) {
    const json::Value *PhysV = Loc.get("physicalLocation");
    if (!PhysV)
      return true; // A logical location only: no file to point at.
    const json::Object *Phys = PhysV->getAsObject();
    if (!Phys) {
      P.field("physicalLocation").report("expected an object");
      return false;
    }
    json::Path PP = P.field("physicalLocation");
    const json::Object *Artifact = Phys->getObject("artifactLocation");
    std::optional<StringRef> Uri =
        Artifact ? Artifact->getString("uri") : std::nullopt;
    if (!Uri) {
      PP.field("artifactLocation").report("expected an artifact location with a uri");
      return false;
    }
    Out.File = resolve(*Uri, Artifact->getString("uriBaseId"));
    if (const json::Value *RegionV = Phys->get("region")) {
      const json::Object *Region = RegionV->getAsObject();
      if (!Region) {
        PP.field("region").report("expected an object");
        return false;
      }
      auto Num = [&](StringRef Key, unsigned &Into) {
        const json::Value *N = Region->get(Key);
        if (!N)
          return true;
        std::optional<int64_t> I = N->getAsInteger();
        if (!I || *I < 0) {
          PP.field("region").field(Key).report("expected a line or column number");
          return false;
        }
        Into = unsigned(*I);
        return true;
      };
      if (!Num("startLine", Out.Line) || !Num("startColumn", Out.Column))
        return false;
    }
    return true;
  }

  std::string resolve(StringRef Uri, std::optional<StringRef> BaseId) {
    if (Uri.starts_with("file:"))
      return uriToPath(Uri);
    std::string Rel = percentDecode(Uri);
    auto Base = Bases.find(BaseId.value_or("%SRCROOT%"));
    if (Base == Bases.end() || Base->second.empty())
      return Rel;
    SmallString<256> Joined(Base->second);
    sys::path::append(Joined, Rel);
    return std::string(Joined);
  }

  /// A message object's text; \p Required says whether it must be there.
  bool readMessage(const json::Object &O, json::Path P, std::string &Out,
                   bool Required) {
    const json::Value *M = O.get("message");
    if (!M && !Required)
      return true;
    const json::Object *MO = M ? M->getAsObject() : nullptr;
    std::optional<StringRef> Text = MO ? MO->getString("text") : std::nullopt;
    if (!Text) {
      P.field("message").report("expected a message with text");
      return false;
    }
    Out = Text->str();
    return true;
  }

  bool readResult(const json::Value &V, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O) {
      P.report("expected a result object");
      return false;
    }
    Finding F;
    if (std::optional<StringRef> Id = O->getString("ruleId")) {
      F.RuleId = Id->str();
    } else if (const json::Object *Rule = O->getObject("rule");
               Rule && Rule->getString("id")) {
      F.RuleId = Rule->getString("id")->str();
    } else {
      P.field("ruleId").report("expected a rule id");
      return false;
    }
    if (!readMessage(*O, P, F.Message, /*Required=*/true))
      return false;
    F.Level = O->getString("level").value_or("warning") == "error"
                  ? Severity::Error
                  : Severity::Warning;
    if (const json::Value *Locs = O->get("locations")) {
      const json::Array *A = Locs->getAsArray();
      if (!A) {
        P.field("locations").report("expected an array of locations");
        return false;
      }
      if (!A->empty()) {
        const json::Object *L = A->front().getAsObject();
        if (!L) {
          P.field("locations").index(0).report("expected a location object");
          return false;
        }
        if (!readPhysical(*L, P.field("locations").index(0), F.Where))
          return false;
      }
    }
    if (const json::Value *Rel = O->get("relatedLocations")) {
      const json::Array *A = Rel->getAsArray();
      if (!A) {
        P.field("relatedLocations").report("expected an array of locations");
        return false;
      }
      for (size_t I = 0; I < A->size(); ++I) {
        json::Path RP = P.field("relatedLocations").index(I);
        const json::Object *L = (*A)[I].getAsObject();
        if (!L) {
          RP.report("expected a location object");
          return false;
        }
        RelatedLocation R;
        if (!readPhysical(*L, RP, R.Where) ||
            !readMessage(*L, RP, R.Message, /*Required=*/false))
          return false;
        F.Related.push_back(std::move(R));
      }
    }
    if (const json::Value *Stacks = O->get("stacks"))
      if (!readStacks(*Stacks, P.field("stacks"), F))
        return false;
    if (const json::Object *Prints = O->getObject("partialFingerprints")) {
      if (auto Snag = Prints->getString("snagFingerprint/v1"))
        F.FingerprintKey = Snag->str();
      else
        for (const auto *KV : json::sortedElements(*Prints))
          if (auto S = KV->second.getAsString()) {
            F.FingerprintKey = S->str();
            break;
          }
    }
    F.Origin = DefaultOrigin;
    if (const json::Object *Props = O->getObject("properties")) {
      if (auto Origin = Props->getString("origin"))
        F.Origin = Origin->str();
      if (auto Confirms = Props->getString("confirms"))
        F.Confirms = Confirms->str();
    }
    Into.Findings.push_back(std::move(F));
    return true;
  }

  bool readStacks(const json::Value &V, json::Path P, Finding &F) {
    const json::Array *A = V.getAsArray();
    if (!A) {
      P.report("expected an array of stacks");
      return false;
    }
    for (size_t I = 0; I < A->size(); ++I) {
      json::Path SP = P.index(I);
      const json::Object *S = (*A)[I].getAsObject();
      const json::Array *Frames = S ? S->getArray("frames") : nullptr;
      if (!Frames) {
        SP.report("expected a stack with frames");
        return false;
      }
      Stack St;
      if (!readMessage(*S, SP, St.Title, /*Required=*/false))
        return false;
      for (size_t J = 0; J < Frames->size(); ++J) {
        json::Path FP = SP.field("frames").index(J);
        const json::Object *FO = (*Frames)[J].getAsObject();
        if (!FO) {
          FP.report("expected a stack frame object");
          return false;
        }
        Frame Fr;
        if (const json::Object *Loc = FO->getObject("location")) {
          if (!readPhysical(*Loc, FP.field("location"), Fr.Where))
            return false;
          if (const json::Array *Logical = Loc->getArray("logicalLocations"))
            if (!Logical->empty())
              if (const json::Object *L = Logical->front().getAsObject()) {
                auto Name = L->getString("fullyQualifiedName");
                if (!Name)
                  Name = L->getString("name");
                Fr.Function = Name.value_or("").str();
              }
        }
        Fr.Module = FO->getString("module").value_or("").str();
        St.Frames.push_back(std::move(Fr));
      }
      F.Stacks.push_back(std::move(St));
    }
    return true;
  }

  bool readInvocation(const json::Value &V, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O) {
      P.report("expected an invocation object");
      return false;
    }
    const json::Array *Notes = O->getArray("toolExecutionNotifications");
    if (!Notes)
      return true;
    for (size_t I = 0; I < Notes->size(); ++I) {
      json::Path NP = P.field("toolExecutionNotifications").index(I);
      const json::Object *N = (*Notes)[I].getAsObject();
      if (!N) {
        NP.report("expected a notification object");
        return false;
      }
      if (N->getString("level").value_or("warning") != "error")
        continue;
      ToolError E;
      if (!readMessage(*N, NP, E.Message, /*Required=*/true))
        return false;
      if (const json::Array *Locs = N->getArray("locations"))
        if (!Locs->empty())
          if (const json::Object *L = Locs->front().getAsObject()) {
            SourcePoint Where;
            if (!readPhysical(*L, NP.field("locations").index(0), Where))
              return false;
            E.File = Where.File;
            E.Line = Where.Line;
            E.Column = Where.Column;
          }
      Into.Errors.push_back(std::move(E));
    }
    return true;
  }

  const SarifReadOptions &Opts;
  Report &Into;
  StringMap<std::string> Bases;
  std::string DefaultOrigin;
};

} // namespace

Error readSarif(StringRef Name, StringRef Text, Report &Into,
                const SarifReadOptions &Opts) {
  Expected<json::Value> Log = json::parse(Text);
  if (!Log)
    return createStringError(inconvertibleErrorCode(),
                             "'" + Name + "' is not valid JSON: " +
                                 toString(Log.takeError()));
  // Read into a copy so that a log that fails half-way adds nothing.
  Report One;
  json::Path::Root Root;
  LogReader Reader(Opts, One);
  if (!Reader.readLog(*Log, Root)) {
    std::string Why = toString(Root.getError());
    // LLVM names the root "(root)"; the path reads better without it.
    if (size_t At = Why.find(" at (root)"); At != std::string::npos) {
      std::string Rest = Why.substr(At + 10);
      if (!Rest.empty() && Rest.front() == '.')
        Rest.erase(0, 1);
      Why = Why.substr(0, At) + (Rest.empty() ? "" : " at " + Rest);
    }
    return createStringError(inconvertibleErrorCode(),
                             "'" + Name + "' is not a SARIF 2.1.0 log: " + Why);
  }
  for (Finding &F : One.Findings)
    Into.Findings.push_back(std::move(F));
  for (ToolError &E : One.Errors)
    Into.Errors.push_back(std::move(E));
  mergeStatic(Into.Static, std::move(One.Static));
  return Error::success();
}

Error readSarifFile(StringRef Path, Report &Into, const SarifReadOptions &Opts) {
  if (sys::fs::is_directory(Path))
    return createStringError(inconvertibleErrorCode(),
                             "cannot read '" + Path + "': it is a folder");
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '" + Path +
                                                 "': " + Buf.getError().message());
  return readSarif(Path, (*Buf)->getBuffer(), Into, Opts);
}

} // namespace snag
