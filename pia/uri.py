"""Source URIs: parsing, classification by scheme, and credential redaction.

Every place that prints or stores a source URI goes through ``redact`` first: a password, an
access key or a token in a URI never reaches a report, a bundle, a log line or a message.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SECRET_QUERY_KEYS = re.compile(
    r"(pass|pwd|secret|token|key|signature|credential|auth|sig)", re.IGNORECASE
)
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://)([^@/?#]*)@")


def redact(uri: str) -> str:
    """Replace the password (and secret-looking query values) of a URI by ``***``."""
    match = _USERINFO.match(uri)
    if match:
        userinfo = match.group(2)
        user, sep, _password = userinfo.partition(":")
        uri = match.group(1) + (user + ":***" if sep else user) + "@" + uri[match.end():]
    if "?" not in uri:
        return uri
    parts = urlsplit(uri)
    query = [
        (k, "***" if _SECRET_QUERY_KEYS.search(k) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def scheme(uri: str) -> str:
    """The scheme of a source, ``file`` for plain paths."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://", uri)
    return match.group(1).lower() if match else "file"
