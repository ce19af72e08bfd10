"""The ground floor: where things live, the names of the vocabulary, errors, progress, files.

Nothing here imports another part of lexgraph.
"""
