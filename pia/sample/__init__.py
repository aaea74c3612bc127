"""Synthetic, deterministic personal data: the sample estate, test corpora and benchmarks.

Nothing here is a real person's data: identifiers are generated with valid check digits so
that validators accept them, from seeded random generators so every run gives the same bytes.
"""
