// Placeholder translation unit until the rules have sources of their own.
