"""``python -m govkg.graph`` runs the CLI, for environments without the console script."""

from govkg.graph.cli import main

main()
