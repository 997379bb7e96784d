// Starts two threads that call into another file.
#include <thread>
void record_event();
static void worker() { record_event(); }
int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
