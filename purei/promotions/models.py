"""Promotions' models (ADR 0013)."""
