// Placeholder translation unit until the models have sources of their own.
