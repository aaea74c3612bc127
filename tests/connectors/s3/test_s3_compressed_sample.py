"""A compressed object is analysed within ``--max-bytes`` of decompressed bytes, over HTTP:
a 1 MB ``.gz`` of a compressible log inflated to 100 MB (the ratio limit) and held a scan
for minutes whatever ``--max-bytes`` said. A warning about an object names it by its
``s3://bucket/key``, masked as a report names it (it said ``None:``)."""

from __future__ import annotations

import gzip
import io
import logging
import zipfile

from s3_server import facts_of, make_bucket

from pia.sample.synth import Synth


def _filler(lines: int, start: int) -> bytes:
    """Log lines that compress about 20 to 1 (a zip member compressed 100 to 1 is refused
    as a bomb), numbered from ``start``."""
    return b"".join(b"2026-11-30 00:10:00 INFO heartbeat seq=%07d ok\n" % n
                    for n in range(start, start + lines))


def _log(syn: Synth) -> bytes:
    """About 1.9 MB (95 kB compressed): a mobile on the first line, a resident ID
    past 1 MB."""
    return (f"2026-11-30 00:00:00 INFO login mobile={syn.mobile()}\n".encode()
            + _filler(20_000, 0)
            + f"2026-11-30 00:20:00 INFO verified id={syn.resident_id()}\n".encode()
            + _filler(18_000, 20_000))


def _entities(result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for item in result.inventory:
        out.setdefault(item["location"]["key"], set()).add(item["entity_type"])
    return out


def test_a_gzip_object_is_analysed_up_to_max_bytes_decompressed(s3, scan) -> None:
    text = _log(Synth(21))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("app.log", text)
    make_bucket(s3, "gz-sample")
    s3.put_object(Bucket="gz-sample", Key="logs/app.log.1.gz", Body=gzip.compress(text))
    s3.put_object(Bucket="gz-sample", Key="logs/app.zip", Body=zipped.getvalue())
    result = scan("s3://gz-sample", extra={"max_bytes": 100_000})
    objects = facts_of(result, "object")
    for key in ("logs/app.log.1.gz", "logs/app.zip"):
        assert objects[f"gz-sample/{key}"]["bytes_read"] < 100_000  # read whole...
        assert 99_000 <= objects[f"gz-sample/{key}"]["bytes_decompressed"] <= 100_000
    assert sorted((s["location"]["key"], s["location"].get("member"), s["reason"])
                  for s in result.skipped) == [
        (key, member, "decompressed sample cut at 100000 bytes: "
                      f"{kind} stream read in part (raise --max-bytes, or --full, to read "
                      "it whole)")
        for key, member, kind in (("logs/app.log.1.gz", None, "gzip"),
                                  ("logs/app.zip", "app.log", "zip member"))]
    assert _entities(result) == {"logs/app.log.1.gz": {"CN_MOBILE"},
                                 "logs/app.zip": {"CN_MOBILE"}}

    whole = scan("s3://gz-sample", full=True)
    assert facts_of(whole, "object")["gz-sample/logs/app.log.1.gz"][
        "bytes_decompressed"] == len(text)
    assert whole.skipped == []
    assert _entities(whole)["logs/app.log.1.gz"] == {"CN_MOBILE", "CN_RESIDENT_ID"}


def test_a_warning_about_an_object_names_it_masked(s3, scan, caplog) -> None:
    resident_id = Synth(22).resident_id()
    body = b"x\n"
    for _ in range(4):  # one layer more than is followed
        body = gzip.compress(body)
    make_bucket(s3, "gz-layers")
    s3.put_object(Bucket="gz-layers", Key=f"dumps/{resident_id}.gz", Body=body)
    with caplog.at_level(logging.WARNING):
        scan("s3://gz-layers")
    (message,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    masked = f"{resident_id[:4]}{'*' * 10}{resident_id[-4:]}"
    assert message == (f"pia: warning: s3://gz-layers/dumps/{masked}.gz: too many nested "
                       "compression layers")
