"""``python -m sitrep`` runs the command line."""

from .cli import main

main(prog_name="sitrep")
