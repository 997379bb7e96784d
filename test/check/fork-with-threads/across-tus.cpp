// fork-with-threads across TUs: threads started (and left running) in one
// file, a fork whose child goes on in another, the calls that order them in
// a third. Each file carries the CHECK lines for its own locations.
// RUN: rm -rf %t && mkdir -p %t
// RUN: cp %s %t/across-tus.cpp
// RUN: cp %S/Inputs/across-tus/workers.cpp %S/Inputs/across-tus/child.cpp %t/
// RUN: %python %srcroot/test/cli/Inputs/make-db.py %t/compile_commands.json %t/workers.cpp -I %S/../Inputs
// RUN: %python %srcroot/test/cli/Inputs/make-db.py %t/compile_commands.json %t/child.cpp -I %S/../Inputs
// RUN: %python %srcroot/test/cli/Inputs/make-db.py %t/compile_commands.json %t/across-tus.cpp -I %S/../Inputs
// RUN: not %snag check --no-cache -p %t %t > %t/out.txt 2>&1
// Every fork is in child.cpp: its run is the one that allows no other warning.
// RUN: FileCheck %t/child.cpp --check-prefix=CHILD --implicit-check-not="warning:" < %t/out.txt
// RUN: FileCheck %s < %t/out.txt
// RUN: FileCheck %t/workers.cpp --check-prefix=WORKERS < %t/out.txt
#include "mock-thread.h"

void start_workers();
void start_and_join_workers();
void run_child();
void fork_with_local();
void fork_after_join();
void fork_after_joining_starter();
void spawn_tool();
void fork_before_start();
void launch();
void start_local_and_fork();
void work();

void bad_fork_after_start() {
  // CHECK: :[[@LINE+1]]:3: note: this call of `start_workers` leaves a thread running
  start_workers();
  // CHECK: :[[@LINE+1]]:3: note: `bad_fork_after_start` calls `run_child` here, which leads to the fork
  run_child();
}

void bad_local_thread_running() {
  std::thread t(work);
  // CHECK: :[[@LINE+1]]:3: note: `bad_local_thread_running` calls `fork_with_local` here, which leads to the fork, while a thread it started may be running
  fork_with_local();
  t.join();
}

void bad_two_levels() {
  start_workers();
  // CHECK: :[[@LINE+1]]:3: note: `bad_two_levels` calls `launch` here, which leads to the fork
  launch();
}

void ok_threads_joined_before_the_call() {
  std::thread t(work);
  t.join();
  fork_after_join();
}

void ok_starter_joins_its_threads() {
  start_and_join_workers();
  fork_after_joining_starter();
}

void ok_child_execs() {
  start_workers();
  spawn_tool();
}

void ok_fork_before_any_start() {
  fork_before_start();
  start_workers();
}

void reported_once_in_its_own_file() {
  start_workers();
  start_local_and_fork();
}
