"""Browser app and HTTP API (planned)."""
