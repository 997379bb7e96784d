// snag run --format html: the run's lock-order cycle drawn, each arrow
// labelled with the line where its thread took the lock, and the stacks.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %exitcode %snag run --format html -o %t.html -- %t | FileCheck %s --check-prefix=STATUS
// STATUS: exit 66
// RUN: FileCheck %s --input-file=%t.html --implicit-check-not="class=\"finding card"
#include <mutex>
#include <thread>

std::mutex first, second;

void forward() {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

void backward() {
  std::lock_guard<std::mutex> b(second);
  std::lock_guard<std::mutex> a(first);
}

// CHECK: <title>snag run: 1 finding</title>
// CHECK: <figure class="cycle card" id="cycle-1" data-rule="lock-order-inversion"
// CHECK: <title>T2 takes first while holding second at {{.*}}html-lock-order.cpp:[[#@LINE-5]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>html-lock-order.cpp:[[#@LINE-6]]</tspan><tspan class="actor" {{.*}}>thread T2</tspan>
// CHECK: <title>T1 takes second while holding first at {{.*}}html-lock-order.cpp:[[#@LINE-12]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>html-lock-order.cpp:[[#@LINE-13]]</tspan><tspan class="actor" {{.*}}>thread T1</tspan>
// CHECK: <article class="finding card warning" id="finding-1" data-rule="lock-order-inversion"
// CHECK: <span class="badge">snag run</span> <a href="#cycle-1">graph</a></div>
// CHECK: <details class="stack" open><summary>thread T2 takes <code>first</code> while holding <code>second</code></summary>
// CHECK: <li>backward() <span class="where">{{.*}}html-lock-order.cpp:[[#@LINE-12]]:31</span></li>
// CHECK: <details class="stack" open><summary>thread T1 takes <code>second</code> while holding <code>first</code></summary>
// CHECK: <li>forward() <span class="where">{{.*}}html-lock-order.cpp:[[#@LINE-19]]:31</span></li>

int main() {
  // One after the other: no hang in this run, a deadlock when they overlap.
  std::thread t1(forward);
  t1.join();
  std::thread t2(backward);
  t2.join();
}
