// One half of a cycle in each TU: update_table takes log_lock (in
// append_log_entry, defined in the other TU) while holding table_lock;
// flush_log there takes them the other way round. Only the link step sees
// both halves. A warm run (facts from the cache, nothing parsed) finds the
// same cycle, once.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %s -I%S/../Inputs
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %S/Inputs/across-tus-two.cpp -I%S/../Inputs
// RUN: not %snag check --no-cache -p %t --format text %s %S/Inputs/across-tus-two.cpp 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: not %snag check --no-cache -p %t --format text %S/Inputs/across-tus-two.cpp %s 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: not %snag check --cache-dir %t/cache -p %t --format text %s %S/Inputs/across-tus-two.cpp > /dev/null 2>&1
// RUN: not %snag check --cache-dir %t/cache -p %t --format text %s %S/Inputs/across-tus-two.cpp 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

extern std::mutex table_lock;
std::mutex log_lock;

void append_log_entry(int);

void update_table(int v) {
  std::lock_guard<std::mutex> g(table_lock);
  append_log_entry(v);
}
// The units are read in path order, whatever order they are named in, so
// the cycle is reported where the first of them in path order sees it:
// Inputs/ sorts before this file.
// CHECK: across-tus-two.cpp:16:31: warning: `log_lock` and `table_lock` are taken in opposite orders: `flush_log` takes `table_lock` while holding `log_lock`, and `update_table` takes `log_lock` while holding `table_lock`{{.*}} [snag-lock-order-inversion]
// CHECK: across-tus-two.cpp:15:31: note: `flush_log` holds `log_lock` here
// CHECK: across-tus.cpp:[[@LINE-8]]:31: note: `update_table` holds `table_lock` here
// CHECK: across-tus.cpp:[[@LINE-8]]:3: note: `update_table` calls `append_log_entry` here while holding `table_lock`
// CHECK: across-tus-two.cpp:10:31: note: `append_log_entry` takes `log_lock` here
