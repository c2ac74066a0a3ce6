"""`python -m kit`: the command line, as the `kit` script."""

from kit.cli import main

main()
