"""KMB intake service."""
