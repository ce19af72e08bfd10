"""Importers: commands that convert external files into Turtle under ``graph/imported/``."""
