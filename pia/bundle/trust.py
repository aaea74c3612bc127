"""Who signed a bundle, for check ``signature-trusted``: a key the regulator trusts and has
not revoked, or a sentence saying which key did sign and why it does not count.

A revoked key (``--revoked``) counts for nothing even when it is also trusted, and no date
can save it: the bundle's creation and scan times are its signer's own statement, which the
holder of a stolen key writes as he likes. Key ids in an envelope that no trusted key
verifies are unauthenticated; they are only quoted, printable and short.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pia.bundle import dsse, safezip
from pia.bundle.safezip import Refused
from pia.bundle.words import counted


def signer(run: Any, parsed: tuple[bytes, str, bytes], trusted: dict[str, Ed25519PublicKey]
           ) -> str:
    """Check ``signature-trusted``: the fingerprint of the trusted key, not revoked, that
    signed the payload (recorded on ``run.result``), and the sentence that reports it."""
    revoked = run.revoked
    usable = {k: v for k, v in trusted.items() if k not in revoked}
    signer = dsse.verify(*parsed, usable)
    if signer is None:
        _untrusted(run, parsed, trusted)
    run.result.signer = signer
    run.result.signer_key = run.labels.get(signer)
    label = f" ({run.result.signer_key})" if run.result.signer_key else ""
    listed = (f"; not among {counted(len(revoked), 'revoked key', 'revoked keys')}" if revoked
              else "")
    return f"signed by {signer}{label}{listed}"


def _untrusted(run: Any, parsed: tuple[bytes, str, bytes],
               trusted: dict[str, Ed25519PublicKey]) -> None:
    """Why no trusted key that is not revoked signed: which key did, if one can tell. The
    key id is quoted as ``dsse.parse`` let it through: a fingerprint's 50 characters."""
    revoked = run.revoked
    keyid = parsed[1]
    burnt = dsse.verify(*parsed, {k: v for k, v in trusted.items() if k in revoked})
    if burnt is not None:  # whatever time the bundle claims: its signer may have backdated it
        label = f" ({run.labels[burnt]})" if burnt in run.labels else ""
        raise Refused("signature-trusted", f"signed by {burnt}{label}, a key revoked in "
                      f"{revoked[burnt]}: a revoked key signs no valid bundle, "
                      "whatever date the bundle gives")
    if keyid in trusted:
        raise Refused("signature-trusted", f"the signature names trusted key "
                      f"{safezip.printable(keyid, 70)} but does not verify under it")
    ids = safezip.printable(keyid, 70) + (" (revoked)" if keyid in revoked else "")
    if len(trusted) == 1 and not run.where:  # --pubkey
        given = next(iter(trusted))
        label = f" ({run.labels[given]})" if given in run.labels else ""
        raise Refused("signature-trusted", f"signed by key id {ids}, not by the given key "
                      f"{given}{label}")
    count = f"{len(trusted)} trusted key{'s' if len(trusted) != 1 else ''}"
    where = f" in {run.where}" if run.where else ""
    raise Refused("signature-trusted", f"signed by key id {ids}, not among {count}{where}")
