// A user header: its inline function is the user's code, listed by name.
#pragma once
inline long scaled(long v) { return v * 3; }
