"""Backends that run the pipeline: local (this machine) and spark (a cluster)."""
