// A header that facts-check.test changes.
inline int next_step() { return 1; }
