"""Images that hold personal information by what they are: faces, fingerprints, ID cards.

A JPEG has no text to scan, so a KYC bucket or a directory of face photos and ID-card scans
would otherwise report nothing, and GB/T 35273 6.3 (no raw biometric samples) could never fire.
The object key or file path says what an image is (``faces/u1001.jpg``, ``人脸/u1002.jpg``,
``kyc/idcard_front_u1004.jpg``): an image whose name names a biometric or an ID card becomes
one inventory item of that entity type, counted once, with no value evidence (none was read),
and is not also listed as an unread binary file: its name was what there was to read.
The files connector and the S3 connector share this, and so do archive members
(``kyc.zip!faces/u1.jpg``, judged on the archive's name and the member's path).
"""

from __future__ import annotations

import re
from typing import Any

from pia.connectors.files.timestamps import TimeRange
from pia.media import image_name

#: (entity type, English words of a key, Chinese words found anywhere in it); biometric first:
#: ``idcard_face.jpg`` is a face
_KINDS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("BIOMETRIC",
     frozenset({"face", "faces", "facial", "fingerprint", "fingerprints", "finger", "iris",
                "palmprint", "palmprints", "biometric", "biometrics", "selfie", "liveness"}),
     ("人脸", "面部", "指纹", "虹膜", "掌纹", "活体")),
    ("CN_RESIDENT_ID",
     frozenset({"idcard", "idcards", "shenfenzheng", "sfz"}),
     ("身份证",)),
)
#: a metadata match is less sure than a value that passed its checksum
SCORE = 0.6
_WORD = re.compile(r"[A-Za-z]+")
_PAIRS = (("id", "card"), ("id", "cards"), ("identity", "card"))


def _words(key: str) -> set[str]:
    """Lower-case words of a key: ``kyc/IdCard_front-u1004.jpg`` → kyc, idcard, id, card..."""
    parts = [w.lower() for w in _WORD.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key))]
    joined = {a + b for a, b in zip(parts, parts[1:], strict=False) if (a, b) in _PAIRS}
    return {*parts, *joined}


def image_entity(key: str) -> str | None:
    """The entity type an image object's key names, or None (not an image, or unnamed)."""
    if not image_name(key):
        return None
    words = _words(key)
    for entity, english, chinese in _KINDS:
        if words & english or any(word in key for word in chinese):
            return entity
    return None


def image_blob(key: str, location: dict[str, Any], scanned: dict[str, Any]) -> dict | None:
    """A blob result for an image object named as PI (see the module docstring), or None.

    Only when the content was not text (scanned into no blob): a ``face.jpg`` that is a log
    is judged by its lines."""
    entity = image_entity(key)
    if entity is None or scanned["blobs"]:
        return None
    return named_image(entity, location)


def named_image(entity: str, location: dict[str, Any]) -> dict[str, Any]:
    """The blob of an image whose name says it holds ``entity``: the shape of a scanned text's
    blob, with nothing read (no encoding, no timestamp, no line)."""
    return {"location": dict(location), "format": "image", "encoding": None, "lines": 0,
            "newlines": 0, "time": TimeRange().as_json(),
            "entities": {entity: {"count": 1, "score": SCORE, "lines": [], "samples": [],
                                  "fingerprints": [], "minors": 0}}}
