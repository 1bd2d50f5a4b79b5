"""KMB stats service."""
