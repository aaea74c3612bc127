"""Signed audit bundles: create, verify, read hostile archives safely."""
