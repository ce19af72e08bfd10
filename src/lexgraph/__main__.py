"""``python -m lexgraph``: the command line, where the ``lexgraph`` script is not on PATH."""

from lexgraph.cli import main

if __name__ == "__main__":
    main()
