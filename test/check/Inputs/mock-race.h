// Standard containers, atomics and std::ref, as small stand-ins for the race
// tests (with mock-sync.h for threads and locks). Only signatures matter.
#ifndef SNAG_TEST_MOCK_RACE_H
#define SNAG_TEST_MOCK_RACE_H

#include "mock-sync.h"

namespace std {

template <class T> class reference_wrapper {
public:
  reference_wrapper(T &t);
  operator T &() const;
};
template <class T> reference_wrapper<T> ref(T &t);
template <class T> reference_wrapper<const T> cref(const T &t);
template <class T> T &&move(T &t);

template <class T> class vector {
public:
  void push_back(const T &v);
  T &operator[](unsigned long i);
  const T &operator[](unsigned long i) const;
  unsigned long size() const;
  void clear();
  T *begin();
  T *end();
};

template <class K, class V> class map {
public:
  V &operator[](const K &k);
  unsigned long size() const;
  const V *find(const K &k) const;
  void erase(const K &k);
};

template <class T, unsigned long N> struct array {
  T &operator[](unsigned long i);
  T elems[N];
};

template <class T> struct atomic {
  T operator++(int);
  T operator+=(T);
  T load() const;
  void store(T);
  operator T() const;
};

} // namespace std

#endif
