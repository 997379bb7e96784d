// A file with nothing for snag to find.
int add(int a, int b) { return a + b; }
