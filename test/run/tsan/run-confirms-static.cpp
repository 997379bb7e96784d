// REQUIRES: runtime
// snag run --static: a race that confirms a snag check finding (same file,
// same line or the same variable) says so in text and SARIF. The SARIF log
// in Inputs/confirms-static.sarif names line 15 of this file: keep it there.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run --static %S/Inputs/confirms-static.sarif -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %exitcode %snag run --static %S/Inputs/confirms-static.sarif --format sarif -o %t.sarif -- %t
// RUN: FileCheck %s --check-prefix=SARIF < %t.sarif
#include <thread>

long balance = 0;

void bad_deposit() {
  long seen = balance;
  balance = seen + 10;
}

int main() {
  std::thread t1(bad_deposit), t2(bad_deposit);
  t1.join();
  t2.join();
  // CHECK: run-confirms-static.cpp:{{1[45]}}:{{[0-9]+}}: warning: {{.*}}`balance`{{.*}} [snag-data-race]
  // CHECK: confirms the snag check finding at {{.*}}run-confirms-static.cpp:15
  // CHECK: exit 66
  // SARIF: "confirms": "{{.*}}run-confirms-static.cpp:15"
}
