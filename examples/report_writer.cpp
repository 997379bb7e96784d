// Writes a report in the background. The writer thread is started, then
// the title is validated: if validation throws, the thread object is
// destroyed while still joinable and the program calls std::terminate.
// The logger is detached and keeps a reference to a local that is gone by
// the time it runs.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
//   snag check  line 26  missing-join      writer is not joined when validate() throws
//   snag check  line 33  dangling-capture  the detached logger uses `message` after it is gone
// snag run finds nothing: this run's title is valid and its logger finishes
// in time, so neither bug happens.
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

static void write_report(int pages) { std::printf("writing %d pages\n", pages); }

static void validate(const std::string &title) {
  if (title.empty())
    throw std::invalid_argument("empty title");
}

void publish(const std::string &title, int pages) {
  std::thread writer(write_report, pages);
  validate(title); // may throw: writer is never joined then
  writer.join();
}

void log_later(int code) {
  std::string message = "status " + std::to_string(code);
  std::thread([&message] {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::puts(message.c_str()); // message may be destroyed by now
  }).detach();
}

int main() {
  publish("Quarterly", 3);
  log_later(7);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}
