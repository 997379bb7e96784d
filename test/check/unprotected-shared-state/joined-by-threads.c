// unprotected-shared-state and a thread joined by another thread: what the
// joining thread does after pthread_join runs after the joined thread, and
// once main has joined the joiner, the joined thread has ended too.
// Look-alikes: a read before the join, a joiner that joins some other
// thread, main reading after a joiner that never joins the writer.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>

// The server joins the loader before it reads the table.
static pthread_t loader;
static int table[16];
static int loaded;

static void *load(void *arg) {
  for (int i = 0; i < 16; i++)
    table[i] = i;
  loaded = 1;
  return arg;
}

static int lookup(int i) { return table[i]; }

static void *serve(void *arg) {
  pthread_join(loader, 0);
  int sum = loaded;
  for (int i = 0; i < 16; i++)
    sum += lookup(i);
  return (void *)(long)sum;
}

// The reader reads before its join: a race.
static pthread_t early_writer;
static int early;

static void *write_early(void *arg) {
  early = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `early` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return arg;
}

static void *read_early(void *arg) {
  int seen = early;
  pthread_join(early_writer, 0);
  return (void *)(long)seen;
}

// The joiner joins another thread, not the writer: a race.
static pthread_t writer, bystander;
static int shared;

static void *write_shared(void *arg) {
  shared = 2;
  // CHECK: :[[@LINE-1]]:3: warning: `shared` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return arg;
}

static void *idle(void *arg) { return arg; }

static void *join_bystander(void *arg) {
  pthread_join(bystander, 0);
  return (void *)(long)shared;
}

// Main joins a thread that never joins the writer of `count`: main's read
// races with it. Main joins the chain's last link: all of it has ended.
static pthread_t counter;
static int count;

static void *bump(void *arg) {
  count = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `count` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return arg;
}

static pthread_t first_link, second_link;
static int chained;

static void *link_one(void *arg) {
  chained = 1;
  return arg;
}

static void *link_two(void *arg) {
  pthread_join(first_link, 0);
  chained++;
  return arg;
}

static void *link_three(void *arg) {
  pthread_join(second_link, 0);
  chained++;
  return arg;
}

int main(void) {
  pthread_t server, reader, joiner, bystanders_joiner, last_link;
  pthread_create(&loader, 0, load, 0);
  pthread_create(&server, 0, serve, 0);
  pthread_join(server, 0);
  // The loader ended before the server did.
  int sum = table[0] + loaded;

  pthread_create(&early_writer, 0, write_early, 0);
  pthread_create(&reader, 0, read_early, 0);
  pthread_join(reader, 0);

  pthread_create(&writer, 0, write_shared, 0);
  pthread_create(&bystander, 0, idle, 0);
  pthread_create(&joiner, 0, join_bystander, 0);
  pthread_join(joiner, 0);
  pthread_join(writer, 0);

  pthread_create(&counter, 0, bump, 0);
  pthread_create(&bystanders_joiner, 0, idle, 0);
  pthread_join(bystanders_joiner, 0);
  sum += count;
  pthread_join(counter, 0);

  pthread_create(&first_link, 0, link_one, 0);
  pthread_create(&second_link, 0, link_two, 0);
  pthread_create(&last_link, 0, link_three, 0);
  pthread_join(last_link, 0);
  return sum + chained;
}
