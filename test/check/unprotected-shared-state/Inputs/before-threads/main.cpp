int port;
int limit;
void start_workers();
void settings_init() { port = 11211; }
void set_limit() { limit = 10; }
int main() {
  settings_init();
  start_workers();
  set_limit();
}
