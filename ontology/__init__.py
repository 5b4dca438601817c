"""Data package: files here are read through govkg.graph.paths, never imported."""
