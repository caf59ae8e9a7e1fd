"""A map-style dataset over a colfile file, for worker pools and data loaders."""
class Dataset: pass
