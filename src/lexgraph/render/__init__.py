"""Output for people: result formats, tables, figures, the brief, the site and the graph pages."""
