// The third TU of across-three-tus.cpp.
#include "mock-sync.h"

std::mutex z;
extern std::mutex r, s;

void take_x();
void bad_q2_then_p2();

void take_z() { std::lock_guard<std::mutex> g(z); }

void z_then_x() {
  std::lock_guard<std::mutex> g(z);
  take_x();
}

void ungated() { bad_q2_then_p2(); }

void r_then_s_directly() {
  std::lock_guard<std::mutex> g1(r);
  std::lock_guard<std::mutex> g2(s);
}
