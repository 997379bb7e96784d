// The second TU of across-three-tus.cpp.
#include "mock-sync.h"

std::mutex y, gate;
extern std::mutex z, r;

void take_z();
void take_s();
void ok_p_then_q();
void ok_q_then_p();
void bad_p2_then_q2();
void bad_q2_then_p2();

void take_y() { std::lock_guard<std::mutex> g(y); }

void y_then_z() {
  std::lock_guard<std::mutex> g(y);
  take_z();
}

void gated_one() {
  std::lock_guard<std::mutex> g(gate);
  ok_p_then_q();
  bad_p2_then_q2();
}

void gated_two() {
  std::lock_guard<std::mutex> g(gate);
  ok_q_then_p();
  bad_q2_then_p2();
}

void r_then_s_through_call() {
  std::lock_guard<std::mutex> g(r);
  take_s();
}
