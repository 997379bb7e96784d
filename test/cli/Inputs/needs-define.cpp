// Parses only when compiled with -DNEEDED, as its database says.
#ifndef NEEDED
#error "compiled without -DNEEDED"
#endif
int needed() { return 1; }
