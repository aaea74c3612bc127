"""Credentials never survive into what pia prints or stores."""

from __future__ import annotations

import pytest

from pia.connectors.base import ScanOptions
from pia.uri import redact, scheme


@pytest.mark.parametrize("uri,shown", [
    ("postgresql://audit:s3cret@db.internal:5432/crm", "postgresql://audit:***@db.internal:5432/crm"),
    ("mysql://root@127.0.0.1:3306/test", "mysql://root@127.0.0.1:3306/test"),
    ("s3://bucket/prefix", "s3://bucket/prefix"),
    ("https://minio.local:9000/?X-Amz-Signature=abc&x=1", "https://minio.local:9000/?X-Amz-Signature=***&x=1"),
    ("postgresql://u:p%40ss@h/db?password=x&sslmode=require",
     "postgresql://u:***@h/db?password=***&sslmode=require"),
    ("logs/app.log", "logs/app.log"),
])
def test_redact(uri: str, shown: str) -> None:
    assert redact(uri) == shown


def test_scheme_of_paths_and_uris() -> None:
    assert scheme("logs/a.log") == "file"
    assert scheme("S3://b") == "s3"
    assert scheme("postgresql://h/db") == "postgresql"


def test_scan_parameters_hold_no_endpoint_password() -> None:
    options = ScanOptions(extra={"endpoint_url": "https://key:secret@oss.example:443",
                                 "max_objects": 5, "_private": "x"})
    params = options.as_parameters()
    assert params["endpoint_url"] == "https://key:***@oss.example:443"
    assert params["max_objects"] == 5 and "_private" not in params


def test_scan_context_repr_hides_secrets() -> None:
    from datetime import UTC, datetime

    from pia.connectors.base import ScanContext

    ctx = ScanContext(engine=None, fingerprint=None, now=datetime.now(UTC),
                      secrets={"postgresql://u:***@h/db": "postgresql://u:s3cret@h/db"})
    assert "s3cret" not in repr(ctx)
