// A compiler that accepts this is not Clang: snag cannot parse it.
int f() { return undeclared_name; }
