"""The graph as data: sources, inference, validation, the build, the query library and engine."""
