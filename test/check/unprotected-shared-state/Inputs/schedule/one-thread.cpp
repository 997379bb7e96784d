// The environment and the store in one file.
#include "posix_env.cpp"
#include "main.cpp"
