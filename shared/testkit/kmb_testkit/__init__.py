"""Test helpers shared by the test suites (on pytest\x27s pythonpath)."""
