"""The data behind what people look at: matrices, instrument lists, parties, timelines, subgraphs.

Views return plain rows and dataclasses; :mod:`lexgraph.render` turns them into files.
"""
