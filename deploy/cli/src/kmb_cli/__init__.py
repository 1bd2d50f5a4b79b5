"""The kmb operator command."""
