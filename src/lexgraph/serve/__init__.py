"""``lexgraph serve``: the policy layer (Starlette) in front of Oxigraph's read-only server."""
