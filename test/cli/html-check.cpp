// snag check --format html: one self-contained page; findings grouped by
// rule then file, the code around each location, the notes, and every
// lock-order cycle drawn as an SVG graph whose arrows say where each lock
// was taken.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/orders.cpp
// RUN: cd %t && not %snag check --no-cache --format html -o %t/report.html orders.cpp --
// RUN: FileCheck %s --input-file=%t/report.html \
// RUN:   --implicit-check-not="lock_guard<" --implicit-check-not="src=" \
// RUN:   --implicit-check-not="<link rel=\"stylesheet\"" --implicit-check-not="@import" \
// RUN:   --implicit-check-not="class=\"finding card"

// Same input, same page, at any -j; and to stdout without -o.
// RUN: cd %t && not %snag check --no-cache -j 1 --format html orders.cpp -- > %t/j1.html
// RUN: cd %t && not %snag check --no-cache -j 2 --format html orders.cpp -- > %t/j2.html
// RUN: cmp %t/report.html %t/j1.html
// RUN: cmp %t/j1.html %t/j2.html

// The source file gone at report time: the page says so instead of code.
// RUN: %snag check --no-cache --format sarif -o %t/gone.sarif %t/orders.cpp -- || true
// RUN: rm %t/orders.cpp
// RUN: cd %t && %snag report gone.sarif -o %t/gone.html
// RUN: FileCheck %s --check-prefix=GONE --input-file=%t/gone.html
// GONE: <article class="finding card warning"
// GONE: <p class="nosource">source not available: orders.cpp</p>

// A file that does not parse is named on the page; exit status 2.
// RUN: %exitcode %snag check --no-cache --format html -o %t/broken.html %S/Inputs/broken.cpp -- 2>&1 | FileCheck %s --check-prefix=BROKEN-STATUS
// BROKEN-STATUS: exit 2
// RUN: FileCheck %s --check-prefix=BROKEN --input-file=%t/broken.html
// BROKEN: <h2>What snag could not do</h2>
// BROKEN: <li><span class="where">{{.*}}broken.cpp:4:11</span>: expected &#39;;&#39; after return statement; snag could not analyse this file</li>

// CHECK: <!DOCTYPE html>
// CHECK: <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
// CHECK: <title>snag check: 2 findings</title>
// CHECK: <style>
// CHECK: <h1>snag check</h1>
// CHECK-NEXT: <p class="summary" id="summary">2 findings in 1 file (2 from snag check); 1 file analysed</p>
// CHECK: <select id="rule-filter"><option value="">all rules</option><option value="unprotected-shared-state">unprotected-shared-state (1)</option><option value="lock-order-inversion">lock-order-inversion (1)</option></select>
// CHECK: <select id="file-filter"><option value="">all files</option><option value="orders.cpp">orders.cpp (2)</option></select>
// CHECK: <span id="shown">2 of 2 findings shown</span>

// The cycle: two boxes, two arrows, each labelled with where its lock was
// taken and by which function.
// CHECK: <section id="cycles" class="group">
// CHECK: <figure class="cycle card" id="cycle-1" data-rule="lock-order-inversion" data-file="orders.cpp" data-files="orders.cpp">
// CHECK-NEXT: <svg xmlns="http://www.w3.org/2000/svg" class="graph"
// CHECK: <title>forward takes second while holding first at orders.cpp:[[#FWD:@LINE+38]]:31; first was taken at orders.cpp:[[#@LINE+37]]:31</title>
// CHECK-SAME: marker-end="url(#arrow-1)"
// CHECK-SAME: <tspan class="taken-at" {{.*}}>orders.cpp:[[#FWD]]</tspan><tspan class="actor" {{.*}}>in forward</tspan>
// CHECK: <title>backward takes first while holding second at orders.cpp:[[#BWD:@LINE+40]]:31; second was taken at orders.cpp:[[#@LINE+39]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>orders.cpp:[[#BWD]]</tspan><tspan class="actor" {{.*}}>in backward</tspan>
// CHECK: <g class="node"><rect {{.*}}/><text {{.*}}>first</text></g>
// CHECK-NEXT: <g class="node"><rect {{.*}}/><text {{.*}}>second</text></g>
// CHECK-NEXT: </svg>
// CHECK-NEXT: <figcaption><code>first</code> and <code>second</code> are taken in opposite orders: {{.*}} <a href="#finding-2">finding 2</a></figcaption>

// Then the findings, by rule in the registry's order, then by file.
// CHECK: <section class="group rule" id="rule-unprotected-shared-state">
// CHECK: <section class="group file">
// CHECK-NEXT: <h3>orders.cpp</h3>
// CHECK-NEXT: <article class="finding card warning" id="finding-1" data-rule="unprotected-shared-state" data-file="orders.cpp">
// CHECK-NEXT: <div class="where">orders.cpp:[[#RACE:@LINE+37]]:{{[0-9]+}} <span class="badge">warning</span><span class="badge">snag check</span></div>
// CHECK-NEXT: <p class="message"><code>counter</code> is
// The code around it, the line itself marked, HTML escaped.
// CHECK-NEXT: <pre class="code"><span class="l"><span class="n">[[#RACE-2]]</span>
// CHECK-SAME: <span class="l hit"><span class="n">[[#RACE]]</span>  counter = counter + 1; // unlocked &lt;here&gt;</span>
// CHECK-SAME: <span class="n">[[#RACE+2]]</span>
// CHECK: <ol class="notes">
// CHECK-NEXT: <li><span class="where">orders.cpp:{{[0-9]+}}:{{[0-9]+}}</span> <span class="note-kind">note:</span>
// CHECK: <section class="group rule" id="rule-lock-order-inversion">
// CHECK: <article class="finding card warning" id="finding-2" data-rule="lock-order-inversion" data-file="orders.cpp">
// CHECK-NEXT: <div class="where">orders.cpp:[[#FWD]]:31 {{.*}} <a href="#cycle-1">graph</a></div>
// CHECK: std::lock_guard&lt;std::mutex&gt; b(second);
// CHECK: <script>
// CHECK: </html>

#include <mutex>
#include <thread>

std::mutex first, second, counter_lock;
int counter;

void forward() {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

void backward() {
  std::lock_guard<std::mutex> b(second);
  std::lock_guard<std::mutex> a(first);
}

void count_locked() {
  std::lock_guard<std::mutex> g(counter_lock);
  counter = counter + 1;
}

void count_unlocked() {
  counter = counter + 1; // unlocked <here>
}

int main() {
  std::thread t1(forward), t2(backward), t3(count_locked), t4(count_unlocked);
  t1.join();
  t2.join();
  t3.join();
  t4.join();
}
