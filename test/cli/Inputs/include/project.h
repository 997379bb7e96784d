// A header found only through -I.
inline int project_value() { return 3; }
