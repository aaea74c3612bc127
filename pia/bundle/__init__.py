"""Signed audit bundles: create them, verify them offline, read hostile archives safely.

``create_bundle`` is what ``pia bundle create`` and ``pia scan --bundle`` call;
``verify_bundle`` is what a regulator runs (``pia bundle verify``).
"""

from pia.bundle.create import create_bundle
from pia.bundle.keys import (
    fingerprint,
    generate_keypair,
    load_private_key,
    load_public_key,
    load_trusted_keys,
)
from pia.bundle.verify import CHECKS, Check, Verification, verify_bundle

__all__ = [
    "CHECKS", "Check", "Verification", "create_bundle", "fingerprint", "generate_keypair",
    "load_private_key", "load_public_key", "load_trusted_keys", "verify_bundle",
]
