// Clang stops with a fatal error (report_fatal_error) on this file.
#pragma clang __debug llvm_fatal_error
int main() {}
