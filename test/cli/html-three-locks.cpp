// --format html draws a cycle of three locks: three boxes on a circle, one
// arrow per order, each labelled with the line where its lock was taken and
// the function that took it.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/three.cpp
// RUN: cd %t && not %snag check --no-cache --format html -o %t/three.html three.cpp --
// RUN: FileCheck %s --input-file=%t/three.html --implicit-check-not="<g class=\"edge" --implicit-check-not="<g class=\"node"
#include <mutex>
#include <thread>

std::mutex a, b, c;

void take_ab() {
  std::lock_guard<std::mutex> x(a);
  std::lock_guard<std::mutex> y(b);
}
void take_bc() {
  std::lock_guard<std::mutex> x(b);
  std::lock_guard<std::mutex> y(c);
}
void take_ca() {
  std::lock_guard<std::mutex> x(c);
  std::lock_guard<std::mutex> y(a);
}

// CHECK: <svg xmlns="http://www.w3.org/2000/svg" class="graph" {{.*}} aria-label="lock-order cycle of 3 locks">
// CHECK: <g class="edge"><title>take_ab takes b while holding a at three.cpp:[[#@LINE-12]]:31; a was taken at three.cpp:[[#@LINE-13]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>three.cpp:[[#@LINE-13]]</tspan><tspan class="actor" {{.*}}>in take_ab</tspan>
// CHECK: <g class="edge"><title>take_bc takes c while holding b at three.cpp:[[#@LINE-10]]:31; b was taken at three.cpp:[[#@LINE-11]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>three.cpp:[[#@LINE-11]]</tspan><tspan class="actor" {{.*}}>in take_bc</tspan>
// CHECK: <g class="edge"><title>take_ca takes a while holding c at three.cpp:[[#@LINE-8]]:31; c was taken at three.cpp:[[#@LINE-9]]:31</title>
// CHECK-SAME: <tspan class="taken-at" {{.*}}>three.cpp:[[#@LINE-9]]</tspan><tspan class="actor" {{.*}}>in take_ca</tspan>
// CHECK: <g class="node"><rect {{.*}}/><text {{.*}}>a</text></g>
// CHECK-NEXT: <g class="node"><rect {{.*}}/><text {{.*}}>b</text></g>
// CHECK-NEXT: <g class="node"><rect {{.*}}/><text {{.*}}>c</text></g>

int main() {
  std::thread t1(take_ab), t2(take_bc), t3(take_ca);
  t1.join();
  t2.join();
  t3.join();
}
