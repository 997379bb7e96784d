// C++20 only: a concept and a designated initializer.
#include <concepts>
#include <atomic>
#include <cstddef>
template <typename T> concept Small = sizeof(T) <= 8;
struct Point { int x, y; };
Small auto twice(Small auto v) { return v + v; }
Point origin() { return {.x = 0, .y = 0}; }
