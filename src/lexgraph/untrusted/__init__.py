"""Queries from outside: the gate that checks their text and the sandbox that runs them.

:func:`lexgraph.free_query` (:mod:`lexgraph.untrusted.free`) is the entry point.
"""
