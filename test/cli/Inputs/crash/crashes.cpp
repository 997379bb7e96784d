// Clang crashes (a trap) while preprocessing this file.
#pragma clang __debug crash
int main() {}
