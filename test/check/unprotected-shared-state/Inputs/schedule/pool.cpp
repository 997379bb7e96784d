// The pool and the store in one file.
#include "pool_env.cpp"
#include "main.cpp"
