// Writes a report in the background. The writer thread is started, then
// the title is validated: if validation throws, the thread object is
// destroyed while still joinable and the program calls std::terminate.
// The logger is detached and keeps a reference to a local that is gone by
// the time it runs, if it runs at all: nothing waits for it, so the process
// can end first and its line is lost.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
//   snag check  line 27  missing-join      writer is not joined when validate() throws
//   snag check  line 34  dangling-capture  the detached logger uses `message` after it is gone
//   snag run    line 34  leaked-thread     the logger is still running when main returns
// (this run's title is valid, so the missing join does not happen at run time)
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
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::puts(message.c_str()); // message may be destroyed by now
  }).detach();
}

int main() {
  publish("Quarterly", 3);
  log_later(7);
}
