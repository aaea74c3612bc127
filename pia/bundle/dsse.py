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

from pia.bundle.keys import FINGERPRINT, fingerprint

PAYLOAD_TYPE = "application/vnd.pia.manifest+json"
#: the fields of an envelope and of its one signature, as ``sign`` writes them
ENVELOPE_FIELDS = frozenset({"payload", "payloadType", "signatures"})
SIGNATURE_FIELDS = frozenset({"keyid", "sig"})
SIGNATURE_BYTES = 64  # Ed25519


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


def parse(envelope: Any, payload_type: str = PAYLOAD_TYPE) -> tuple[bytes, str, bytes]:
    """The payload, the signature's key id and the signature of a parsed envelope.

    pia writes exactly one signature, under its key's fingerprint, and a verifier accepts
    nothing else: DSSE signs neither the list of signatures nor the key ids, so a second
    entry (a copy, zero bytes, a co-signature, or 18 KB of text in a key id) would be bytes
    in a VALID bundle that nobody signed, and with several entries the verdict would depend
    on their order (QA D3). A message never quotes the envelope: it is unauthenticated."""
    if not isinstance(envelope, dict):
        raise EnvelopeError("envelope is not a JSON object")
    if set(envelope) != ENVELOPE_FIELDS:
        raise EnvelopeError("envelope fields are not exactly payload, payloadType and "
                            "signatures")
    if envelope["payloadType"] != payload_type:
        raise EnvelopeError(f"payloadType is not {payload_type}")
    payload = _b64(envelope["payload"], "payload")
    signatures = envelope["signatures"]
    if not isinstance(signatures, list):
        raise EnvelopeError("signatures is not a list")
    if len(signatures) != 1:
        raise EnvelopeError(f"signatures holds {len(signatures)} entries, not exactly one "
                            "(pia signs a bundle once)")
    entry = signatures[0]
    if not isinstance(entry, dict) or set(entry) != SIGNATURE_FIELDS:
        raise EnvelopeError("the signature is not an object of exactly keyid and sig")
    keyid = entry["keyid"]
    if not isinstance(keyid, str) or not FINGERPRINT.fullmatch(keyid):
        raise EnvelopeError("the signature's keyid is not a key fingerprint (SHA256: and 43 "
                            "base64 characters, as pia writes it)")
    sig = _b64(entry["sig"], "the signature")
    if len(sig) != SIGNATURE_BYTES:
        raise EnvelopeError(f"the signature is {len(sig)} bytes, not the "
                            f"{SIGNATURE_BYTES} of an Ed25519 signature")
    return payload, keyid, sig


def verify(payload: bytes, keyid: str, sig: bytes, trusted: dict[str, Ed25519PublicKey],
           payload_type: str = PAYLOAD_TYPE) -> str | None:
    """``keyid`` when the trusted key it names made ``sig`` over ``payload``, else None. A
    signature counts only under the ``keyid`` it names: DSSE does not sign the key id, so a
    bundle whose key id was changed (to another key's, say) would otherwise still verify,
    with bytes in it that nobody signed."""
    key = trusted.get(keyid)
    if key is None:
        return None
    try:
        key.verify(sig, pae(payload_type, payload))
    except InvalidSignature:
        return None
    return keyid
