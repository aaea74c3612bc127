"""DSSE envelopes (Dead Simple Signing Envelope, secure-systems-lab/dsse, v1.0).

The signature covers ``PAE(payloadType, payload)``, not the payload alone, so a signature
made for one kind of document can never be replayed as another. A manifest is signed as
payload type ``application/vnd.pia.manifest+json``; the envelope is a small JSON file in the
bundle, readable by any DSSE tool (in-toto, sigstore) without pia.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pia.bundle.keys import fingerprint

PAYLOAD_TYPE = "application/vnd.pia.manifest+json"
MAX_SIGNATURES = 16


def pae(payload_type: str, payload: bytes) -> bytes:
    """Pre-Authentication Encoding: ``DSSEv1 SP LEN(type) SP type SP LEN(body) SP body``."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def sign(payload: bytes, key: Ed25519PrivateKey, payload_type: str = PAYLOAD_TYPE) -> bytes:
    """The envelope, as canonical JSON bytes (sorted keys) so bundles stay reproducible."""
    envelope = {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [{
            "keyid": fingerprint(key.public_key()),
            "sig": base64.b64encode(key.sign(pae(payload_type, payload))).decode("ascii"),
        }],
    }
    return serialize(envelope)


def serialize(envelope: dict[str, Any]) -> bytes:
    """The one byte form of an envelope. A verifier requires it, so that no byte of a bundle
    can change (whitespace, key order, base64 padding bits) while it still verifies."""
    return (json.dumps(envelope, indent=2, sort_keys=True) + "\n").encode("ascii")


class EnvelopeError(ValueError):
    """The envelope is malformed; the message says how (never echoes its content)."""


def _b64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise EnvelopeError(f"{what} is not a string")
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError(f"{what} is not base64") from None
    if base64.b64encode(decoded).decode("ascii") != value:  # e.g. stray bits in the padding
        raise EnvelopeError(f"{what} is not canonical base64")
    return decoded


def parse(envelope: Any, payload_type: str = PAYLOAD_TYPE) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The payload and its (keyid, signature) pairs from a parsed envelope."""
    if not isinstance(envelope, dict):
        raise EnvelopeError("envelope is not a JSON object")
    unknown = sorted(set(envelope) - {"payload", "payloadType", "signatures"})
    if unknown:
        raise EnvelopeError(f"unknown envelope field {unknown[0][:40]!r}")
    if envelope.get("payloadType") != payload_type:
        raise EnvelopeError(f"payloadType is not {payload_type}")
    payload = _b64(envelope.get("payload"), "payload")
    signatures = envelope.get("signatures")
    if not isinstance(signatures, list) or not 1 <= len(signatures) <= MAX_SIGNATURES:
        raise EnvelopeError(f"signatures is not a list of 1 to {MAX_SIGNATURES} entries")
    out = []
    for i, entry in enumerate(signatures):
        if not isinstance(entry, dict):
            raise EnvelopeError(f"signature {i} is not an object")
        keyid = entry.get("keyid", "")
        if not isinstance(keyid, str):
            raise EnvelopeError(f"signature {i} keyid is not a string")
        out.append((keyid[:100], _b64(entry.get("sig"), f"signature {i}")))
    return payload, out


def verify(payload: bytes, signatures: list[tuple[str, bytes]],
           trusted: dict[str, Ed25519PublicKey],
           payload_type: str = PAYLOAD_TYPE) -> str | None:
    """The fingerprint of a trusted key that signed ``payload``, or None. A signature counts
    only under the ``keyid`` it names: DSSE does not sign the key id, so a bundle whose key id
    was changed (to anything, escape sequences included) would otherwise still verify, with
    bytes in it that nobody signed."""
    message = pae(payload_type, payload)
    for keyid, sig in signatures:
        if keyid not in trusted:
            continue
        try:
            trusted[keyid].verify(sig, message)
        except (InvalidSignature, ValueError):  # wrong length is a ValueError too
            continue
        return keyid
    return None
