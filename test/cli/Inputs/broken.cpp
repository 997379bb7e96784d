// Does not parse: a missing semicolon.
int f() {
  int x = 1;
  return x
}
