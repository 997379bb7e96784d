// A header with a syntax error.
struct Broken {
}
