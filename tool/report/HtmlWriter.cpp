//===- HtmlWriter.cpp - A self-contained HTML page for a Report -----------===//
//
// Everything the page needs is inside it: the style, a small script for the
// filters, and the lock-order graphs as inline SVG laid out here. A content
// security policy forbids every load from outside, so a page that tried one
// would say so in the browser's console. Nothing depends on the time or the
// machine but the source files read for the code excerpts.
//
//===----------------------------------------------------------------------===//
#include "report/HtmlWriter.h"
#include "Version.h"
#include "report/Writers.h"
#include "rules/Rules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <map>
#include <memory>
#include <set>

using namespace llvm;

namespace snag {

//===----------------------------------------------------------------------===//
// Lock-order cycles from a finding's text
//===----------------------------------------------------------------------===//

namespace {

// A lock as findings name it: `name` (snag check, and snag run when it knows
// the variable), "lock #N (0xADDRESS)" (snag run otherwise), M12
// (ThreadSanitizer).
#define SNAG_LOCK_RE "`[^`]+`|lock #[0-9]+ \\(0x[0-9a-fA-F]+\\)|lock #[0-9]+|M[0-9]+"

struct EdgeText {
  std::string Actor, From, To;
};

std::string unquote(StringRef S) {
  if (S.size() >= 2 && S.front() == '`' && S.back() == '`')
    return S.drop_front().drop_back().str();
  return S.str();
}

/// Who takes the lock: the words before "takes", back to the previous
/// separator ("`transfer`", "thread T2", "T2").
std::string actorBefore(StringRef Text) {
  size_t Cut = 0;
  for (StringRef Sep : {", ", ": ", "; "}) {
    size_t At = Text.rfind(Sep);
    if (At != StringRef::npos)
      Cut = std::max(Cut, At + Sep.size());
  }
  StringRef Actor = Text.drop_front(Cut).trim();
  Actor.consume_front("and ");
  Actor.consume_front("thread ");
  return unquote(Actor.trim());
}

/// Every "X takes B while holding A" in \p Text, in order.
std::vector<EdgeText> edgesIn(StringRef Text) {
  static const Regex EdgeRE("takes (" SNAG_LOCK_RE ") while holding (" SNAG_LOCK_RE
                            ")");
  std::vector<EdgeText> Out;
  StringRef Rest = Text;
  SmallVector<StringRef, 3> M;
  while (EdgeRE.match(Rest, &M)) {
    size_t At = M[0].data() - Rest.data();
    Out.push_back({actorBefore(Rest.take_front(At)), unquote(M[2]), unquote(M[1])});
    Rest = Rest.drop_front(At + M[0].size());
  }
  return Out;
}

/// The lock a note says is taken ("`g` takes `b` here") or held ("`f`
/// holds `a` here") at its location.
std::optional<std::string> lockNamedIn(StringRef Text, StringRef Verb) {
  static const Regex TakesRE("takes (" SNAG_LOCK_RE ") here");
  static const Regex HoldsRE("holds (" SNAG_LOCK_RE ") here");
  SmallVector<StringRef, 2> M;
  if ((Verb == "takes" ? TakesRE : HoldsRE).match(Text, &M))
    return unquote(M[1]);
  return std::nullopt;
}

/// The first frame of a stack in the user's code (frames in the C and C++
/// libraries' headers say nothing about where the user took the lock).
SourcePoint userFrame(const Stack &S) {
  for (const Frame &F : S.Frames)
    if (F.Where.known() && !StringRef(F.Where.File).starts_with("/usr/include/") &&
        !StringRef(F.Where.File).starts_with("/usr/lib/"))
      return F.Where;
  return {};
}

} // namespace

std::optional<LockCycle> lockCycleOf(const Finding &F) {
  LockCycle C;
  // snag check's cycle of one: the same lock member of two objects, taken in
  // both orders by one function called with the objects swapped.
  static const Regex SwappedRE("^(`[^`]+`) of one object is taken while "
                               "holding (`[^`]+`) of another in (`[^`]+`)");
  SmallVector<StringRef, 4> M;
  if (SwappedRE.match(F.Message, &M)) {
    std::string To = unquote(M[1]), From = unquote(M[2]), Fn = unquote(M[3]);
    // Usually the same member of both objects: two boxes all the same.
    if (To == From) {
      From += " of object 1";
      To += " of object 2";
    }
    C.Edges.push_back({From, To, Fn, F.Where, {}, false});
    C.Edges.push_back({To, From, Fn, F.Where, {}, true});
  } else {
    auto Add = [&](const EdgeText &E, const SourcePoint &Where) {
      for (LockCycleEdge &Old : C.Edges)
        if (Old.From == E.From && Old.To == E.To) {
          if (!Old.TakenAt.known())
            Old.TakenAt = Where;
          return;
        }
      C.Edges.push_back({E.From, E.To, E.Actor, Where, {}, false});
    };
    // The message names every order; a note or a stack whose title names
    // one order points at where it was taken.
    for (const EdgeText &E : edgesIn(F.Message))
      Add(E, {});
    for (const RelatedLocation &R : F.Related)
      for (const EdgeText &E : edgesIn(R.Message))
        Add(E, R.Where);
    for (const Stack &S : F.Stacks)
      for (const EdgeText &E : edgesIn(S.Title))
        Add(E, userFrame(S));
    for (const RelatedLocation &R : F.Related) {
      // In a cycle each lock is taken by one order and held by one.
      if (auto Taken = lockNamedIn(R.Message, "takes"))
        for (LockCycleEdge &E : C.Edges)
          if (E.To == *Taken && !E.TakenAt.known())
            E.TakenAt = R.Where;
      if (auto Held = lockNamedIn(R.Message, "holds"))
        for (LockCycleEdge &E : C.Edges)
          if (E.From == *Held && !E.HeldAt.known())
            E.HeldAt = R.Where;
    }
    // The finding's own location is where its first order was taken.
    if (!C.Edges.empty() && !C.Edges.front().TakenAt.known())
      C.Edges.front().TakenAt = F.Where;
  }
  if (C.Edges.size() < 2)
    return std::nullopt;
  for (const LockCycleEdge &E : C.Edges)
    for (const std::string *Name : {&E.From, &E.To})
      if (!is_contained(C.Locks, *Name))
        C.Locks.push_back(*Name);
  return C;
}

//===----------------------------------------------------------------------===//
// The page
//===----------------------------------------------------------------------===//

namespace {

const char Style[] = R"css(
:root { color-scheme: light; --fg: #1d2125; --muted: #5f6b76; --line: #d8dee4;
  --warn: #b35c00; --err: #c92a2a; --bg: #f6f8fa; --hit: #fff3bf; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
header, main, nav { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 22px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; font-family: ui-monospace, monospace;
  color: var(--muted); font-weight: 600; }
code, pre, .where, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12.5px; }
.summary, .inputs { color: var(--muted); margin: 2px 0; }
nav { position: sticky; top: 0; z-index: 2; background: var(--bg);
  padding-top: 10px; padding-bottom: 10px; border-bottom: 1px solid var(--line);
  display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
nav select { font: inherit; padding: 2px 4px; max-width: 420px; }
#shown { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 10px 14px; margin: 8px 0; }
.finding.error { border-left: 4px solid var(--err); }
.finding.warning { border-left: 4px solid var(--warn); }
.where { color: var(--muted); }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 9px;
  background: #e7ecf0; color: var(--muted); margin-left: 6px; vertical-align: 1px; }
.message { margin: 4px 0 6px; font-weight: 600; }
.count { color: var(--muted); font-weight: normal; }
.rule-summary { color: var(--muted); margin: 0 0 6px; }
pre.code { background: #f6f8fa; border: 1px solid #eaeef2; border-radius: 4px;
  margin: 4px 0 8px; padding: 4px 0; overflow-x: auto; tab-size: 4; }
pre.code span.l { display: block; padding: 0 10px; white-space: pre; }
pre.code span.hit { background: var(--hit); }
table.profile { border-collapse: collapse; }
table.profile th, table.profile td { padding: 2px 10px; text-align: right; }
table.profile th:first-child, table.profile td.name { text-align: left; }
pre.code span.n { display: inline-block; min-width: 4ch; color: #8c959f;
  text-align: right; margin-right: 12px; user-select: none; }
.nosource { color: var(--muted); font-style: italic; margin: 2px 0 8px; }
ol.notes { list-style: none; padding-left: 0; margin: 0; }
ol.notes > li { border-top: 1px dashed var(--line); padding-top: 4px; }
.note-kind { color: var(--muted); font-weight: 600; }
details.stack summary { cursor: pointer; font-weight: 600; }
ol.frames { margin: 4px 0 8px; padding-left: 28px; }
ol.frames li { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.errors li { color: var(--err); }
.static li.not-confirmed .badge, .static li.not-reached .badge { opacity: 0.6; }
.static li.refuted .badge { background: #d3f9d8; }
figure.cycle { margin: 8px 0; }
figure.cycle svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.cycle figcaption { margin-top: 6px; }
svg .node rect { fill: #ffd8a8; stroke: #d9480f; stroke-width: 1.5; }
svg .node text { font: 600 14px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d2125; }
svg .edge path { fill: none; stroke: #c92a2a; stroke-width: 2; }
svg .edge.swapped path { stroke-dasharray: 6 4; }
svg .edge text { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d2125;
  paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
svg .edge text .actor { fill: var(--muted); }
svg marker path { fill: #c92a2a; }
a { color: #0b5cad; }
[hidden] { display: none !important; }
)css";

// Filters: rule and file, also read from and written to the address
// (#rule=ID&file=PATH) so that a filtered view can be shared as a link.
const char Script[] = R"js(
(function () {
  'use strict';
  var rule = document.getElementById('rule-filter');
  var file = document.getElementById('file-filter');
  var shown = document.getElementById('shown');
  var items = document.querySelectorAll('[data-rule][data-file]');
  var groups = document.querySelectorAll('.group');
  var total = document.querySelectorAll('.finding').length;
  // An exact value, else the one option whose path ends with it
  // (#file=orders.cpp for src/orders.cpp).
  function choose(select, value) {
    var tail = [];
    for (var i = 0; i < select.options.length; i++) {
      var v = select.options[i].value;
      if (v === value) { select.value = value; return; }
      if (value && v.slice(-value.length - 1) === '/' + value) tail.push(v);
    }
    if (tail.length === 1) select.value = tail[0];
  }
  function apply() {
    var r = rule.value, f = file.value, n = 0;
    items.forEach(function (el) {
      var ok = (!r || el.getAttribute('data-rule') === r) &&
               (!f || el.getAttribute('data-file') === f ||
                (el.getAttribute('data-files') || '').split('\n').indexOf(f) >= 0);
      el.hidden = !ok;
      if (ok && el.classList.contains('finding')) n++;
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector('[data-rule][data-file]:not([hidden])');
    });
    shown.textContent = n + ' of ' + total + (total === 1 ? ' finding' : ' findings') + ' shown';
  }
  function readAddress() {
    var params = new URLSearchParams(location.hash.slice(1));
    choose(rule, params.get('rule') || '');
    choose(file, params.get('file') || '');
  }
  function writeAddress() {
    var params = new URLSearchParams();
    if (rule.value) params.set('rule', rule.value);
    if (file.value) params.set('file', file.value);
    var hash = params.toString();
    try { history.replaceState(null, '', hash ? '#' + hash : location.pathname); }
    catch (e) { /* some browsers refuse this on file: pages; the view still filters */ }
  }
  rule.addEventListener('change', function () { apply(); writeAddress(); });
  file.addEventListener('change', function () { apply(); writeAddress(); });
  window.addEventListener('hashchange', function () { readAddress(); apply(); });
  readAddress();
  apply();
})();
)js";

void escape(raw_ostream &OS, StringRef S) {
  for (char C : S) {
    switch (C) {
    case '&': OS << "&amp;"; break;
    case '<': OS << "&lt;"; break;
    case '>': OS << "&gt;"; break;
    case '"': OS << "&quot;"; break;
    case '\'': OS << "&#39;"; break;
    default: OS << C;
    }
  }
}

/// A message with its `quoted` names set as code.
void messageHtml(raw_ostream &OS, StringRef Text) {
  while (!Text.empty()) {
    size_t Open = Text.find('`');
    size_t Close = Open == StringRef::npos ? Open : Text.find('`', Open + 1);
    if (Close == StringRef::npos) {
      escape(OS, Text);
      return;
    }
    escape(OS, Text.take_front(Open));
    OS << "<code>";
    escape(OS, Text.slice(Open + 1, Close));
    OS << "</code>";
    Text = Text.drop_front(Close + 1);
  }
}

/// A path as the user would type it: relative to the working folder when it
/// is below it.
std::string displayPath(StringRef Path) {
  static const std::string Cwd = [] {
    SmallString<256> Dir;
    return sys::fs::current_path(Dir) ? std::string() : std::string(Dir) + "/";
  }();
  if (!Cwd.empty() && Path.starts_with(Cwd) && Path.size() > Cwd.size())
    return Path.drop_front(Cwd.size()).str();
  return Path.str();
}

std::string pointText(const SourcePoint &P) {
  if (P.File.empty())
    return "<unknown>";
  std::string S = displayPath(P.File);
  if (P.Line) {
    S += ":" + utostr(P.Line);
    if (P.Column)
      S += ":" + utostr(P.Column);
  }
  return S;
}

/// Source files, read once each, for the code around a location.
class SourceFiles {
public:
  /// The file's lines, or null when it cannot be read.
  const std::vector<std::string> *lines(StringRef File) {
    auto &Entry = Cache[File];
    if (!Entry.first) {
      Entry.first = true;
      if (auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true)) {
        Entry.second = std::make_unique<std::vector<std::string>>();
        SmallVector<StringRef, 0> Split;
        (*Buf)->getBuffer().split(Split, '\n');
        for (StringRef L : Split)
          Entry.second->push_back(L.rtrim("\r").str());
      }
    }
    return Entry.second.get();
  }

private:
  StringMap<std::pair<bool, std::unique_ptr<std::vector<std::string>>>> Cache;
};

void writeCode(raw_ostream &OS, SourceFiles &Src, const SourcePoint &P,
               unsigned Context) {
  if (!P.known())
    return;
  const std::vector<std::string> *Lines = Src.lines(P.File);
  if (!Lines || P.Line > Lines->size()) {
    OS << "<p class=\"nosource\">source not available: ";
    escape(OS, displayPath(P.File));
    OS << "</p>\n";
    return;
  }
  unsigned First = P.Line > Context ? P.Line - Context : 1;
  unsigned Last = std::min<unsigned>(P.Line + Context, Lines->size());
  OS << "<pre class=\"code\">";
  for (unsigned L = First; L <= Last; ++L) {
    OS << "<span class=\"l" << (L == P.Line ? " hit" : "") << "\"><span class=\"n\">"
       << L << "</span>";
    escape(OS, (*Lines)[L - 1]);
    OS << "</span>";
  }
  OS << "</pre>\n";
}

StringRef fileKey(const Finding &F) {
  return F.Where.File.empty() ? StringRef("(no file)") : StringRef(F.Where.File);
}

//===----------------------------------------------------------------------===//
// Lock-order graph: the locks on a circle, one curved arrow per order
//===----------------------------------------------------------------------===//

struct Point {
  double X = 0, Y = 0;
};

std::string num(double V) { return formatv("{0:f1}", V).str(); }

/// Where the line from a box's centre towards \p Toward leaves the box.
Point boxExit(Point Centre, double HalfW, double HalfH, Point Toward) {
  double DX = Toward.X - Centre.X, DY = Toward.Y - Centre.Y;
  if (DX == 0 && DY == 0)
    return Centre;
  double T = std::min(DX ? HalfW / std::fabs(DX) : 1e9, DY ? HalfH / std::fabs(DY) : 1e9);
  double Len = std::hypot(DX, DY);
  double Gap = 4 / Len; // room for the arrowhead's tip
  return {Centre.X + DX * (T + Gap), Centre.Y + DY * (T + Gap)};
}

/// "in transfer" for a function, "thread T2" for a thread.
std::string actorLabel(StringRef Actor) {
  if (Actor.empty())
    return "";
  unsigned N;
  if (Actor.size() > 1 && Actor[0] == 'T' && !Actor.drop_front().getAsInteger(10, N))
    return ("thread " + Actor).str();
  return ("in " + Actor).str();
}

/// The smallest box holding everything drawn, for the SVG's viewBox.
struct Bounds {
  double MinX = 1e9, MinY = 1e9, MaxX = -1e9, MaxY = -1e9;
  void add(double X, double Y) {
    MinX = std::min(MinX, X);
    MaxX = std::max(MaxX, X);
    MinY = std::min(MinY, Y);
    MaxY = std::max(MaxY, Y);
  }
  void addBox(double X, double Y, double HalfW, double HalfH) {
    add(X - HalfW, Y - HalfH);
    add(X + HalfW, Y + HalfH);
  }
};

void writeCycleSvg(raw_ostream &OS, const LockCycle &C, unsigned Id) {
  const double CharW = 8.6, LabelCharW = 7.3, BoxH = 34;
  size_t N = C.Locks.size();
  double Radius = N == 2 ? 200 : 150 + 18 * double(N - 3);
  Point Centre{0, 0};
  std::vector<Point> At(N);
  std::vector<double> HalfW(N);
  Bounds Box;
  for (size_t I = 0; I < N; ++I) {
    // The first lock on the left, then around the circle.
    double Angle = M_PI + 2 * M_PI * double(I) / double(N);
    At[I] = {Radius * std::cos(Angle), N == 2 ? 0 : Radius * std::sin(Angle)};
    HalfW[I] = std::max(30.0, CharW * double(C.Locks[I].size()) / 2 + 12);
    Box.addBox(At[I].X, At[I].Y, HalfW[I], BoxH / 2);
  }
  auto IndexOf = [&](const std::string &Lock) {
    return size_t(find(C.Locks, Lock) - C.Locks.begin());
  };

  // Edges first (drawn under the boxes), into a buffer: the viewBox needs
  // their labels' extent.
  std::string Edges;
  raw_string_ostream ES(Edges);
  for (const LockCycleEdge &E : C.Edges) {
    size_t A = IndexOf(E.From), B = IndexOf(E.To);
    Point P0 = At[A], P2 = At[B];
    double DX = P2.X - P0.X, DY = P2.Y - P0.Y, Len = std::hypot(DX, DY);
    // Bend each arrow to its left as it travels, away from the centre when
    // there are more than two locks: opposite orders between two locks then
    // take opposite sides.
    Point Normal{DY / Len, -DX / Len};
    Point Mid{(P0.X + P2.X) / 2, (P0.Y + P2.Y) / 2};
    if (N > 2 && (Mid.X - Centre.X) * Normal.X + (Mid.Y - Centre.Y) * Normal.Y < 0)
      Normal = {-Normal.X, -Normal.Y};
    double Bend = N == 2 ? 0.32 * Len : 0.22 * Len;
    Point Ctl{Mid.X + Normal.X * Bend, Mid.Y + Normal.Y * Bend};
    Point S = boxExit(P0, HalfW[A], BoxH / 2, Ctl);
    Point T = boxExit(P2, HalfW[B], BoxH / 2, Ctl);
    // The curve's midpoint, and the label just outside it.
    Point Half{0.25 * S.X + 0.5 * Ctl.X + 0.25 * T.X,
               0.25 * S.Y + 0.5 * Ctl.Y + 0.25 * T.Y};
    Point Label{Half.X + Normal.X * 16, Half.Y + Normal.Y * 16};
    bool Above = Normal.Y < 0;

    ES << "<g class=\"edge" << (E.Swapped ? " swapped" : "") << "\">";
    ES << "<title>";
    escape(ES, (E.Actor.empty() ? std::string("a thread") : E.Actor) + " takes " +
                   E.To + " while holding " + E.From + " at " +
                   pointText(E.TakenAt));
    if (E.HeldAt.known())
      escape(ES, "; " + E.From + " was taken at " + pointText(E.HeldAt));
    if (E.Swapped)
      escape(ES, " (the same code, with the objects swapped)");
    ES << "</title>";
    ES << "<path d=\"M" << num(S.X) << ',' << num(S.Y) << " Q" << num(Ctl.X) << ','
       << num(Ctl.Y) << ' ' << num(T.X) << ',' << num(T.Y) << "\" marker-end=\"url(#arrow-"
       << Id << ")\"/>";
    // Two lines: where the lock was taken, then who took it. Above the arrow
    // the location sits on top, below it the actor does.
    std::string Where = E.TakenAt.File.empty()
                            ? std::string("location unknown")
                            : sys::path::filename(E.TakenAt.File).str() +
                                  (E.TakenAt.Line ? ":" + utostr(E.TakenAt.Line) : "");
    std::string Who = actorLabel(E.Actor);
    if (E.Swapped)
      Who += Who.empty() ? "objects swapped" : ", objects swapped";
    double Y0 = Above ? Label.Y - 18 : Label.Y + 4;
    // Labels beside a box on the left or right read away from it.
    StringRef Anchor = "middle";
    if (std::fabs(Normal.X) > 0.8)
      Anchor = Normal.X > 0 ? "start" : "end";
    double TextW = LabelCharW * double(std::max(Where.size(), Who.size()));
    double Left = Anchor == "middle" ? Label.X - TextW / 2
                  : Anchor == "start" ? Label.X
                                      : Label.X - TextW;
    Box.add(Left, Y0 - 14);
    Box.add(Left + TextW, Y0 + 20);
    Box.add(Ctl.X * 0.5 + Mid.X * 0.5, Ctl.Y * 0.5 + Mid.Y * 0.5);
    ES << "<text text-anchor=\"" << Anchor << "\" x=\"" << num(Label.X) << "\" y=\""
       << num(Y0) << "\"><tspan class=\"taken-at\" x=\"" << num(Label.X)
       << "\" dy=\"0\">";
    escape(ES, Where);
    ES << "</tspan><tspan class=\"actor\" x=\"" << num(Label.X) << "\" dy=\"15\">";
    escape(ES, Who);
    ES << "</tspan></text></g>\n";
  }

  const double Pad = 12;
  double X0 = Box.MinX - Pad, Y0 = Box.MinY - Pad;
  double W = Box.MaxX - Box.MinX + 2 * Pad, H = Box.MaxY - Box.MinY + 2 * Pad;
  OS << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"" << num(W)
     << "\" height=\"" << num(H) << "\" viewBox=\"" << num(X0) << ' ' << num(Y0) << ' '
     << num(W) << ' ' << num(H) << "\" role=\"img\" aria-label=\"lock-order cycle of "
     << N << " locks\">\n";
  OS << "<defs><marker id=\"arrow-" << Id
     << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" "
        "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 "
        "L0,10 z\"/></marker></defs>\n";
  OS << Edges;
  for (size_t I = 0; I < N; ++I) {
    OS << "<g class=\"node\"><rect x=\"" << num(At[I].X - HalfW[I]) << "\" y=\""
       << num(At[I].Y - BoxH / 2) << "\" width=\"" << num(2 * HalfW[I])
       << "\" height=\"" << num(BoxH) << "\" rx=\"8\"/><text text-anchor=\"middle\" x=\""
       << num(At[I].X) << "\" y=\"" << num(At[I].Y + 5) << "\">";
    escape(OS, C.Locks[I]);
    OS << "</text></g>\n";
  }
  OS << "</svg>\n";
}

StringRef title(StringRef Command) {
  return StringSwitch<StringRef>(Command)
      .Case("check", "snag check")
      .Case("run", "snag run")
      .Default("snag report");
}

/// Who found it, as the page says it (Finding::Origin, or another tool's name).
StringRef originName(StringRef Origin) {
  return StringSwitch<StringRef>(Origin)
      .Case("check", "snag check")
      .Case("run", "snag run")
      .Case("tsan", "ThreadSanitizer")
      .Default(Origin);
}

} // namespace

/// snag run --profile: the locks, most waited-for first, and the call sites
/// that waited longest.
static void writeProfileHtml(raw_ostream &OS, const LockProfile &P) {
  OS << "<section id=\"profile\">\n<h2>Lock contention <span class=\"count\">("
     << P.Locks.size() << (P.Locks.size() == 1 ? " lock" : " locks") << ")</span></h2>\n"
     << "<p class=\"rule-summary\">How often each lock was taken, how often a thread "
        "had to wait for it and for how long, and how long it was held; most "
        "waited-for first.</p>\n<table class=\"profile card\" id=\"profile-locks\">\n"
     << "<tr><th>lock</th><th>taken</th><th>waited</th><th>wait total</th><th>wait "
        "max</th><th>hold total</th><th>hold max</th></tr>\n";
  for (const ProfiledLock &L : P.Locks) {
    OS << "<tr><td class=\"name\">";
    messageHtml(OS, L.Name);
    if (!L.Process.empty()) {
      OS << " <span class=\"muted\">";
      escape(OS, L.Process);
      OS << "</span>";
    }
    OS << "</td><td>" << L.Acquisitions << "</td><td>" << L.Contended << "</td><td>"
       << formatDuration(L.WaitTotalNs) << "</td><td>" << formatDuration(L.WaitMaxNs)
       << "</td><td>" << formatDuration(L.HoldTotalNs) << "</td><td>"
       << formatDuration(L.HoldMaxNs) << "</td></tr>\n";
  }
  OS << "</table>\n";
  if (P.OtherLocks)
    OS << "<p>And " << P.OtherLocks << " locks gone before the end, never waited for, taken "
       << P.OtherAcquisitions << " times in all.</p>\n";
  OS << "<h3>Call sites that waited longest</h3>\n";
  if (P.Sites.empty()) {
    OS << "<p id=\"profile-sites\">No thread waited for a lock.</p>\n</section>\n";
    return;
  }
  OS << "<table class=\"profile card\" id=\"profile-sites\">\n<tr><th>where</th><th>lock</th>"
        "<th>waits</th><th>wait total</th><th>wait max</th></tr>\n";
  for (const ProfiledSite &S : P.Sites) {
    OS << "<tr><td class=\"name\"><span class=\"where\">";
    escape(OS, pointText(S.Where));
    OS << "</span>";
    if (!S.Function.empty() && S.Function != "??") {
      OS << " in <code>";
      escape(OS, S.Function);
      OS << "</code>";
    }
    OS << "</td><td class=\"name\">";
    messageHtml(OS, S.Lock);
    OS << "</td><td>" << S.Waits << "</td><td>" << formatDuration(S.WaitTotalNs)
       << "</td><td>" << formatDuration(S.WaitMaxNs) << "</td></tr>\n";
  }
  OS << "</table>\n</section>\n";
}

void writeHtml(const Report &R, raw_ostream &OS, const HtmlOptions &Opts) {
  SourceFiles Src;
  // Rules in registry order, then any others (other tools' logs) by name.
  std::map<std::string, unsigned> RuleOrder;
  for (const RuleInfo &Info : allRules())
    RuleOrder.emplace(Info.Id.str(), RuleOrder.size());
  auto RuleRank = [&](const std::string &Id) {
    auto It = RuleOrder.find(Id);
    return std::make_pair(It == RuleOrder.end() ? ~0u : It->second, Id);
  };
  std::vector<size_t> Order(R.Findings.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  // Findings keep the report's order (file, line) inside their rule and file.
  std::sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    const Finding &FA = R.Findings[A], &FB = R.Findings[B];
    return std::make_tuple(RuleRank(FA.RuleId), fileKey(FA), A) <
           std::make_tuple(RuleRank(FB.RuleId), fileKey(FB), B);
  });
  std::map<std::pair<unsigned, std::string>, unsigned> RuleCounts;
  std::map<std::string, unsigned> FileCounts;
  std::map<std::string, unsigned> OriginCounts;
  for (const Finding &F : R.Findings) {
    ++RuleCounts[RuleRank(F.RuleId)];
    ++FileCounts[displayPath(fileKey(F))];
    ++OriginCounts[originName(F.Origin).str()];
  }
  // Finding ids follow the page's order, so links are stable.
  std::vector<unsigned> IdOf(R.Findings.size());
  for (size_t I = 0; I < Order.size(); ++I)
    IdOf[Order[I]] = I + 1;

  std::string Heading = title(R.Command).str();
  size_t NFindings = R.Findings.size();
  std::string Counted =
      utostr(NFindings) + (NFindings == 1 ? " finding" : " findings");

  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<meta name=\"generator\" content=\"snag " << SNAG_VERSION << "\">\n"
     << "<link rel=\"icon\" href=\"data:,\">\n<title>" << Heading << ": " << Counted
     << "</title>\n<style>" << Style << "</style>\n</head>\n<body>\n";

  // Header: what this is and where it came from.
  OS << "<header>\n<h1>" << Heading << "</h1>\n<p class=\"summary\" id=\"summary\">"
     << Counted << " in " << FileCounts.size()
     << (FileCounts.size() == 1 ? " file" : " files");
  if (!OriginCounts.empty()) {
    OS << " (";
    ListSeparator LS;
    for (const auto &[Origin, Count] : OriginCounts) {
      OS << LS << Count << " from ";
      escape(OS, Origin);
    }
    OS << ")";
  }
  if (R.Command == "check")
    OS << "; " << R.UnitsAnalysed << (R.UnitsAnalysed == 1 ? " file" : " files")
       << " analysed";
  OS << "</p>\n";
  if (!Opts.Inputs.empty()) {
    OS << "<p class=\"inputs\">merged from ";
    ListSeparator LS;
    for (const std::string &In : Opts.Inputs) {
      OS << LS << "<code>";
      escape(OS, In);
      OS << "</code>";
    }
    OS << "</p>\n";
  }
  OS << "</header>\n";

  // Filters.
  OS << "<nav id=\"filters\">\n<label>Rule <select id=\"rule-filter\">"
     << "<option value=\"\">all rules</option>";
  for (const auto &[Rank, Count] : RuleCounts) {
    OS << "<option value=\"";
    escape(OS, Rank.second);
    OS << "\">";
    escape(OS, Rank.second);
    OS << " (" << Count << ")</option>";
  }
  OS << "</select></label>\n<label>File <select id=\"file-filter\">"
     << "<option value=\"\">all files</option>";
  for (const auto &[File, Count] : FileCounts) {
    OS << "<option value=\"";
    escape(OS, File);
    OS << "\">";
    escape(OS, File);
    OS << " (" << Count << ")</option>";
  }
  OS << "</select></label>\n<span id=\"shown\">" << NFindings << " of " << Counted
     << " shown</span>\n</nav>\n<main>\n";

  if (!R.Errors.empty()) {
    OS << "<section id=\"errors\">\n<h2>What snag could not do</h2>\n<ul class=\"errors card\">\n";
    for (const ToolError &E : R.Errors) {
      OS << "<li><span class=\"where\">";
      escape(OS, E.File.empty() ? std::string("snag")
                                : pointText({E.File, E.Line, E.Column}));
      OS << "</span>: ";
      messageHtml(OS, E.Message);
      OS << "</li>\n";
    }
    OS << "</ul>\n</section>\n";
  }

  // snag run --static: every race suspect of the check log, confirmed or
  // not by this run, linked to the finding that confirms it.
  if (R.Static.Present) {
    const StaticCrossCheck &S = R.Static;
    unsigned Confirmed = S.confirmed();
    OS << "<section id=\"static\">\n<h2>Race suspects of <code>";
    escape(OS, S.Log);
    OS << "</code> <span class=\"count\">(" << Confirmed << " of "
       << S.Suspects.size() << " confirmed";
    if (S.Coverage)
      OS << ", " << S.count(SuspectStatus::Refuted) << " refuted, "
         << S.count(SuspectStatus::NotReached) << " not reached";
    OS << ")</span></h2>\n";
    if (!S.Coverage) {
      OS << "<p class=\"nocoverage\">Whether the code of a suspect not confirmed ran "
            "is not known: ";
      escape(OS, S.NoCoverageWhy);
      OS << ".</p>\n";
    }
    OS << "<ul class=\"static card\">\n";
    for (const StaticSuspect &X : S.Suspects) {
      OS << "<li class=\"" << suspectStatusId(X.status())
         << "\"><span class=\"badge\">" << suspectStatusText(X.status())
         << "</span> <span class=\"where\">";
      escape(OS, pointText(X.Where));
      OS << "</span> <code>";
      escape(OS, X.RuleId);
      OS << "</code>: ";
      messageHtml(OS, X.Message);
      if (X.ConfirmedBy.known()) {
        OS << " &mdash; by ";
        // The confirming finding's card, when it is on this page.
        auto It = llvm::find_if(Order, [&](size_t I) {
          const SourcePoint &W = R.Findings[I].Where;
          return W.File == X.ConfirmedBy.File && W.Line == X.ConfirmedBy.Line &&
                 W.Column == X.ConfirmedBy.Column;
        });
        if (It != Order.end())
          OS << "<a href=\"#finding-" << IdOf[*It] << "\">";
        escape(OS, pointText(X.ConfirmedBy));
        if (It != Order.end())
          OS << "</a>";
      }
      OS << "</li>\n";
    }
    OS << "</ul>\n</section>\n";
  }

  // Lock-order cycles, drawn.
  std::map<size_t, unsigned> CycleOf; // finding index -> cycle id
  std::vector<std::pair<size_t, LockCycle>> Cycles;
  for (size_t I : Order)
    if (R.Findings[I].RuleId == "lock-order-inversion")
      if (std::optional<LockCycle> C = lockCycleOf(R.Findings[I])) {
        Cycles.emplace_back(I, std::move(*C));
        CycleOf[I] = Cycles.size();
      }
  if (!Cycles.empty()) {
    OS << "<section id=\"cycles\" class=\"group\">\n<h2>Lock-order cycles <span "
          "class=\"count\">("
       << Cycles.size() << ")</span></h2>\n"
       << "<p class=\"rule-summary\">Each box is a lock; each arrow is an order "
          "in which a thread takes the lock it points to while holding the one "
          "it leaves, labelled with where. Threads taking every arrow at once "
          "wait for each other for ever.</p>\n";
    for (const auto &[Index, C] : Cycles) {
      const Finding &F = R.Findings[Index];
      unsigned Id = CycleOf[Index];
      // The cycle shows under every file one of its orders is taken in.
      std::set<std::string> Files;
      for (const LockCycleEdge &E : C.Edges)
        if (!E.TakenAt.File.empty())
          Files.insert(displayPath(E.TakenAt.File));
      OS << "<figure class=\"cycle card\" id=\"cycle-" << Id
         << "\" data-rule=\"lock-order-inversion\" data-file=\"";
      escape(OS, displayPath(fileKey(F)));
      OS << "\" data-files=\"";
      escape(OS, join(Files, "\n"));
      OS << "\">\n";
      writeCycleSvg(OS, C, Id);
      OS << "<figcaption>";
      messageHtml(OS, F.Message);
      OS << " <a href=\"#finding-" << IdOf[Index] << "\">finding " << IdOf[Index]
         << "</a></figcaption>\n</figure>\n";
    }
    OS << "</section>\n";
  }

  // Findings by rule, then file.
  OS << "<section id=\"findings\">\n";
  if (R.Findings.empty())
    OS << "<p class=\"card\" id=\"nothing\">Nothing found.</p>\n";
  for (size_t Pos = 0; Pos < Order.size();) {
    const std::string &Rule = R.Findings[Order[Pos]].RuleId;
    OS << "<section class=\"group rule\" id=\"rule-";
    escape(OS, Rule);
    OS << "\">\n<h2><code>";
    escape(OS, Rule);
    OS << "</code> <span class=\"count\">(" << RuleCounts[RuleRank(Rule)] << ")</span></h2>\n";
    if (const RuleInfo *Info = findRule(Rule)) {
      OS << "<p class=\"rule-summary\">";
      escape(OS, Info->Summary);
      OS << " <a href=\"";
      escape(OS, ruleHelpUri(Rule));
      OS << "\">about this rule</a></p>\n";
    }
    while (Pos < Order.size() && R.Findings[Order[Pos]].RuleId == Rule) {
      std::string File = displayPath(fileKey(R.Findings[Order[Pos]]));
      OS << "<section class=\"group file\">\n<h3>";
      escape(OS, File);
      OS << "</h3>\n";
      while (Pos < Order.size() && R.Findings[Order[Pos]].RuleId == Rule &&
             displayPath(fileKey(R.Findings[Order[Pos]])) == File) {
        size_t Index = Order[Pos++];
        const Finding &F = R.Findings[Index];
        bool IsError = F.Level == Severity::Error;
        OS << "<article class=\"finding card " << (IsError ? "error" : "warning")
           << "\" id=\"finding-" << IdOf[Index] << "\" data-rule=\"";
        escape(OS, F.RuleId);
        OS << "\" data-file=\"";
        escape(OS, File);
        OS << "\">\n<div class=\"where\">";
        escape(OS, pointText(F.Where));
        OS << " <span class=\"badge\">" << (IsError ? "error" : "warning")
           << "</span><span class=\"badge\">";
        escape(OS, originName(F.Origin));
        OS << "</span>";
        if (CycleOf.count(Index))
          OS << " <a href=\"#cycle-" << CycleOf[Index] << "\">graph</a>";
        OS << "</div>\n<p class=\"message\">";
        messageHtml(OS, F.Message);
        OS << "</p>\n";
        writeCode(OS, Src, F.Where, 2);
        if (!F.Related.empty()) {
          OS << "<ol class=\"notes\">\n";
          for (const RelatedLocation &Rel : F.Related) {
            OS << "<li><span class=\"where\">";
            escape(OS, pointText(Rel.Where));
            OS << "</span> <span class=\"note-kind\">note:</span> ";
            messageHtml(OS, Rel.Message);
            writeCode(OS, Src, Rel.Where, 1);
            OS << "</li>\n";
          }
          OS << "</ol>\n";
        }
        for (const Stack &S : F.Stacks) {
          OS << "<details class=\"stack\" open><summary>";
          messageHtml(OS, S.Title.empty() ? std::string("stack") : S.Title);
          OS << "</summary>\n<ol class=\"frames\" start=\"0\">\n";
          for (const Frame &Fr : S.Frames) {
            OS << "<li>";
            escape(OS, Fr.Function.empty() ? std::string("<unknown>") : Fr.Function);
            if (Fr.Where.known()) {
              OS << " <span class=\"where\">";
              escape(OS, pointText(Fr.Where));
              OS << "</span>";
            } else if (!Fr.Module.empty()) {
              OS << " <span class=\"where\">(";
              escape(OS, Fr.Module);
              if (Fr.Address)
                OS << "+0x" << utohexstr(Fr.Address, /*LowerCase=*/true);
              OS << ")</span>";
            }
            OS << "</li>\n";
          }
          OS << "</ol>\n</details>\n";
        }
        if (!F.Confirms.empty()) {
          OS << "<p class=\"confirms\">confirms the snag check finding at <code>";
          escape(OS, F.Confirms);
          OS << "</code></p>\n";
        }
        OS << "</article>\n";
      }
      OS << "</section>\n";
    }
    OS << "</section>\n";
  }
  OS << "</section>\n";
  if (R.Profile.Present)
    writeProfileHtml(OS, R.Profile);
  OS << "</main>\n<script>" << Script << "</script>\n</body>\n</html>\n";
}

} // namespace snag
