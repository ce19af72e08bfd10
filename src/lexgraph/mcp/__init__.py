"""``lexgraph mcp``: the finder, the questions, search, describe and checked SPARQL as Model
Context Protocol tools for AI assistants (:mod:`lexgraph.mcp.server`).

The SDK (``pip install 'lexgraph[mcp]'``) is imported only by :mod:`lexgraph.mcp.server`;
:mod:`lexgraph.mcp.answers` makes the answers without it.
"""
