"""Building tampered and hostile zips from a real bundle."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile

from pia.bundle import dsse
from pia.bundle.create import MANIFEST, REPORT, SIGNATURE, write_zip
from pia.bundle.verify import Verification


def members(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def raw_zip(entries: list[tuple[str | bytes, bytes]], *, utf8_flag: bool = False,
            mode: int = stat.S_IFREG | 0o644) -> bytes:
    """A zip with exactly these (name, data) entries, duplicates and odd names included; a
    ``bytes`` name is written as those raw bytes (zipfile itself would encode it as UTF-8)."""
    buffer = io.BytesIO()
    raw: dict[bytes, bytes] = {}
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # "Duplicate name" is the point of some tests
        for name, data in entries:
            if isinstance(name, bytes):
                placeholder = bytes(c if c < 0x80 else 0x5F for c in name)
                raw[placeholder] = name
                name = placeholder.decode("ascii")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    out = buffer.getvalue()
    for placeholder, name in raw.items():
        out = out.replace(placeholder, name)
    if utf8_flag:  # zipfile resets flag bits when writing: set "UTF-8 names" in the headers
        data = bytearray(out)
        for signature, flags_at in ((b"PK\x03\x04", 7), (b"PK\x01\x02", 9)):
            at = data.find(signature)
            while at != -1:
                data[at + flags_at] |= 0x08
                at = data.find(signature, at + 4)
        out = bytes(data)
    return out


def with_members(bundle: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The bundle re-zipped with members replaced (bytes), removed (None) or added."""
    content = members(bundle)
    for name, value in changes.items():
        if value is None:
            content.pop(name)
        else:
            content[name] = value
    return write_zip(content)


def resign(bundle: bytes, key, changes: dict[str, bytes | None],
           fit_manifest: bool = True, manifest_edit=None) -> bytes:
    """Apply ``changes``, then rewrite the manifest's hashes (and, with ``fit_manifest``, the
    scan and counts it repeats from the report) and sign it with ``key``: what a tamperer
    holding a trusted key (or an honest signer of odd content) would produce."""
    import hashlib
    import json

    content = members(with_members(bundle, changes))
    manifest = json.loads(content[MANIFEST])
    manifest["members"] = [
        {"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
        for n, d in sorted(content.items()) if n not in (MANIFEST, SIGNATURE)
    ]
    manifest["rulesets"] = [
        {**r, "sha256": hashlib.sha256(content[r["member"]]).hexdigest()}
        for r in manifest["rulesets"] if r["member"] in content
    ]
    if fit_manifest and REPORT in content:  # the scan and counts the manifest repeats, too
        try:
            report = json.loads(content[REPORT])
            manifest["scan"] = {k: report["scan"][k] for k in manifest["scan"]}
            manifest["counts"] = {k: report["summary"][k] for k in manifest["counts"]}
        except (ValueError, KeyError, TypeError, RecursionError):
            pass  # not a report any more: the verifier says so
    if manifest_edit is not None:  # what the tamperer also says in the signed manifest
        manifest_edit(manifest)
    payload = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    content[MANIFEST] = payload
    content[SIGNATURE] = dsse.sign(payload, key)
    return write_zip(content)


def failed(result: Verification) -> str | None:
    """The first failed check, the one the CLI names."""
    return result.failed[0].name if result.failed else None


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """``pia ARGV`` in-process: (exit code, stdout, stderr)."""
    import pytest

    from pia.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err
