// Placeholder translation unit until the link step has sources of its own.
