// Counts events in a global with no lock.
int events;
void record_event() {
  events++;
}
