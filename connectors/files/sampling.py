"""How much of a compressed blob is analysed: the sample ``--max-bytes`` bounds.

``--max-bytes`` bounds the bytes read of an object; a compressed one (a ``.gz`` log, a zip
member) inflates to many times that, and every byte inflated is analysed (about 1.4 MB/s of
text): a 1 MB ``.gz`` of a compressible log held a scan for minutes while the bomb limit
(100 times the compressed size) let it inflate to 100 MB. So the decompressed bytes analysed
of any compressed stream, object or local file, are bounded by the same number
(``Sampled``), unless ``--full`` is given, which reads all (the ratio limit still holds).
A sample cut so is read in part, as an object cut by its range is: a ``skipped`` record says
so (``cut_reason``), and text ends at a ``safe_end``, not inside a value (a resident ID cut
to 17 digits can pass as a bank card).
"""

from __future__ import annotations

from typing import IO, Any

from pia.connectors.base import MIN_READ
from pia.connectors.files.sniff import container

#: a cut last line longer than this is scanned up to its last separator, not dropped whole
_TAIL_MAX = 64 << 10
#: bytes after which a cut may fall without splitting a value (all ASCII: never inside a
#: multi-byte character)
_SEPARATORS = tuple(bytes([b]) for b in b" \t\r,;|\"'()[]{}<>=")
#: the start of the ``skipped`` reason of a stream cut at its sample: read in part
SAMPLE_CUT = "decompressed sample cut at"


def safe_end(data: bytes | bytearray) -> int:
    """Where text cut at an arbitrary byte may end without a split value at its end: after
    the last newline, or after the last separator when the cut line is long or alone."""
    line_end = data.rfind(b"\n") + 1
    if line_end and len(data) - line_end <= _TAIL_MAX:
        return line_end
    return max(data.rfind(sep, line_end) + 1 for sep in _SEPARATORS) or line_end


def sample_bytes(options: Any) -> int | None:
    """The decompressed bytes analysed per compressed stream: ``--max-bytes`` (at least
    ``MIN_READ``); None under ``--full`` or when no ``max_bytes`` is given (a library
    caller's options), where only the ratio limit holds."""
    value = (getattr(options, "extra", None) or {}).get("max_bytes")
    if getattr(options, "full", False) or value is None:
        return None
    return max(int(value), MIN_READ)


def cut_reason(kind: str, cap: int) -> str:
    """The ``skipped`` reason of a ``kind`` stream (gzip, a zip member) cut at ``cap``."""
    return (f"{SAMPLE_CUT} {cap} bytes: {kind} stream read in part "
            "(raise --max-bytes, or --full, to read it whole)")


class Sampled:
    """A reader over a decompressed stream that ends after ``cap`` bytes; ``cut`` says the
    stream held more. When the stream is text (no container's magic), the last piece is
    cut back to a ``safe_end``. ``count`` is what was handed on: the bytes analysed. With
    no ``cap`` (``--full``) it only counts."""

    def __init__(self, stream: Any, cap: int | None) -> None:
        self._stream = stream
        self._cap = cap
        self._plain: bool | None = None
        self.count = 0
        self.cut = False

    def read(self, n: int = -1) -> bytes:
        if self._cap is None:
            data = self._stream.read(n)
            self.count += len(data)
            return data
        left = self._cap - self.count
        if left <= 0 or self.cut:
            return b""
        if 0 <= n < left:
            data = self._stream.read(n)
        else:  # the last piece: all that is left, then whether the stream goes on
            parts, got = [], 0
            while got < left and (piece := self._stream.read(left - got)):
                parts.append(piece)
                got += len(piece)
            data = b"".join(parts)
            self.cut = got >= left and bool(self._stream.read(1))
        if self._plain is None and data:
            self._plain = container(data[:16]) is None
        if self.cut and self._plain:
            data = data[:safe_end(data)]
        self.count += len(data)
        return data

    def readable(self) -> bool:
        return True


def sampled(stream: IO[bytes] | Any, cap: int | None) -> Sampled:
    """``stream`` bounded to ``cap`` bytes (``Sampled``); with none, only counted."""
    return Sampled(stream, cap)


def decompressed_attribute(blobs: list[dict[str, Any]]) -> dict[str, int]:
    """``bytes_decompressed`` of a file's or an object's fact: the decompressed bytes
    analysed of its compressed streams (the sample, or all of them under ``--full``); none
    for a blob that was not compressed."""
    counts = [b["decompressed"] for b in blobs if "decompressed" in b]
    return {"bytes_decompressed": sum(counts)} if counts else {}
