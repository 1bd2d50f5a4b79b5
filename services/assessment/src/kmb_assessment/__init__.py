"""KMB assessment service."""
