"""What keeps the names a journal record holds off the disk: a keyed id and a sealed body.

A partition is named by its connector, its source and its key: a file's path, a table's
name, an object's key. Estates name them by the person they hold
(``exports/110105197001056458/app.log``, a table ``u_13149081935``), and the partial a worker
returns names them again (its locations, its columns, its skipped members). The reports mask
those names after the partials are merged (``pia.masked_names``), but the journal keeps the
partials from before: masking them there would split a file scanned half before and half
after an interruption into two items (one masked, one not) and lose the real names that the
merge, the name items and the masking itself still read. So the journal keeps the real
record, sealed: AES-GCM under a secret derived from the journal's key (itself derived from
the organisation's fingerprint key), bound to the record's id and the journal's config; and
a partition's id is an HMAC of its names under that key, not a plain digest a dictionary of
resident IDs would reverse. What stays in clear is what was already public: the header's
version, config digest and clock. Whoever holds the fingerprint key can open the journal,
as they can find a masked file by its ``name_fingerprint``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pia.connectors.base import Partition

#: the body of a sealed record: ``{"sealed": "<base64 of nonce and ciphertext>"}``
SEALED = "sealed"
_NONCE_BYTES = 12


def partition_names(partition: Partition) -> bytes:
    """What identifies a partition (not its state), as the id and the record bind it."""
    # "surrogatepass": a file name that is not UTF-8 reaches Python as surrogate escapes
    return (f"{partition.connector}\0{partition.source}\0{partition.key}"
            .encode("utf-8", "surrogatepass"))


class Sealer:
    """Names partitions and seals their records under one journal's key."""

    def __init__(self, key: bytes) -> None:
        self._id_key = hmac.new(key, b"pia journal id", hashlib.sha256).digest()
        self._cipher = AESGCM(hmac.new(key, b"pia journal seal", hashlib.sha256).digest())

    def partition_id(self, partition: Partition) -> str:
        """A partition's name in the journal: an HMAC of what identifies it."""
        return hmac.new(self._id_key, partition_names(partition), hashlib.sha256).hexdigest()[:40]

    def seal(self, ident: str, config: str, text: bytes) -> bytes:
        """The record body that holds ``text`` (a record's JSON) sealed, as JSON bytes."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._cipher.encrypt(nonce, text, _bound(ident, config))
        return json.dumps({SEALED: base64.b64encode(sealed).decode("ascii")}).encode()

    def unseal(self, ident: str, config: str, body: Any) -> dict[str, Any] | None:
        """The record a sealed body (parsed JSON) holds, or None when it is no sealed
        record of this id and config (another key, another layout, a forgery)."""
        if not isinstance(body, dict) or not isinstance(body.get(SEALED), str):
            return None
        try:
            data = base64.b64decode(body[SEALED], validate=True)
            text = self._cipher.decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:],
                                        _bound(ident, config))
            record = json.loads(text.decode("utf-8", "surrogatepass"))
        except (binascii.Error, InvalidTag, ValueError):
            return None
        return record if isinstance(record, dict) else None


def _bound(ident: str, config: str) -> bytes:
    """What a sealed record is bound to: moved to another id or journal, it does not open."""
    return ident.encode("ascii") + b"\0" + config.encode("ascii")
