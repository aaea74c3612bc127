"""Recognizers for Chinese identifiers, one module per identifier (Presidio's layout)."""
