// Needs -I pointing at Inputs/include.
#include "project.h"
int use_project() { return project_value(); }
