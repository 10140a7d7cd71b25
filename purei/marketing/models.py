"""Marketing's models (ADR 0013)."""
