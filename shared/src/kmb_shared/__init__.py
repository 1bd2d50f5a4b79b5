"""KMB shared package."""
