"""Local infrastructure for development and tests: a real Kafka broker and a throwaway PostgreSQL."""
