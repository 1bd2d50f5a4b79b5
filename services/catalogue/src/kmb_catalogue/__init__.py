"""KMB catalogue service."""
