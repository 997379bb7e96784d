// unprotected-shared-state: objects each side makes for itself, reached
// through pointers snag cannot trace (leveldb's compaction and its readers
// each decode into a Slice of their own). The compaction holds the store's
// lock around the call, the reader does not; that lock says nothing of the
// slices, and the two callers' unknown objects are not one object.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"
// CHECK: snag: 0 findings

#include "mock-race.h"

struct Slice {
  const char *data_;
  unsigned long size_;
  void remove_prefix(unsigned long n) {
    data_ += n;
    size_ -= n;
  }
};

Slice *next_slice();

// A cursor each side gets from a call snag cannot see into and moves
// itself: the compaction's caller holds the lock, the reader's does not.
struct Cursor {
  int pos_;
  void advance() { pos_++; }
};
Cursor *cursor_of(int which);

static void decode(Slice *s) { s->remove_prefix(1); }

struct Store {
  std::mutex mu_;
  void compact(Slice *in) {
    std::lock_guard<std::mutex> l(mu_);
    decode(in);
  }
  void ok_get(Slice *key) { decode(key); }
  void compact_cursor() {
    std::lock_guard<std::mutex> l(mu_);
    cursor_of(0)->advance();
  }
  void ok_seek() { cursor_of(1)->advance(); }
};

Store store;

void compaction(Slice *in) {
  store.compact(in);
  store.compact_cursor();
}

int main() {
  std::thread t(compaction, next_slice());
  store.ok_get(next_slice());
  store.ok_seek();
  t.join();
  return 0;
}
