"""CREDENTIAL written outside a ``key=value`` pair: the forms logs leak passwords in.

A field named ``password`` is found where files are read as pairs; these are the forms a
nginx error log, a MySQL general log or a shell history writes a secret in without a field
name: an HTTP ``Authorization`` header (Basic, or a bearer token that looks like one), MySQL's
``IDENTIFIED BY '…'``, ``PASSWORD('…')`` and ``SET PASSWORD [FOR user] = '…'`` (5.7's plaintext
form), ``curl -u user:password`` and a URI's ``scheme://user:password@host``.

Every pattern opens with a literal label written as a lookbehind (``Basic ``, ``IDENTIFIED
BY '``, ``://``…), so Hyperscan looks for the label itself and the regex runs only on the
few lines that hold it; the match is the secret (or ``user:password``), which masking hides
whole. ``SET PASSWORD FOR 'u'@'%' = '…'`` has a user of any length between its label and the
secret, too far for a lookbehind: its pattern looks behind for ``= '`` alone, Hyperscan flags
only lines holding ``SET PASSWORD … =`` (``LINE_PREFILTERS``), and the text before a value
must read ``SET PASSWORD [FOR user] = '`` for it to count (``UPDATE t SET password = '…'``
sets a column: a pair, which the files connector reads).

The validator drops what is not a plaintext secret: a Basic value that does not decode to
``user:password`` (``Basic realm="x"`` does not even match), MySQL's hashes (``IDENTIFIED BY
PASSWORD '*6BB…'`` does not match, ``SET PASSWORD … = '*2470C…'`` is dropped), and
placeholders (``***``, ``xxxxx``, ``${VAR}``, ``%s``, ``<secret>``, which MySQL 8 writes in its
general log for the password).
"""

from __future__ import annotations

import base64
import binascii
import re

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer

#: the quoted value of a SQL string literal, up to its closing quote (a doubled or escaped
#: quote stays inside), for ``'…'`` and ``"…"``
_SQ = r"(?:[^'\\\n]|\\.|''){1,128}(?=')"
_DQ = r'(?:[^"\\\n]|\\.|""){1,128}(?=")'

#: a template's placeholder or a redaction for a secret: ``${VAR}``, ``$VAR``, ``#{f}``,
#: ``%s``, ``%(name)s``, ``{}``, ``{name}``, ``{{ name }}``, ``<secret>``, ``[FILTERED]``
_PLACEHOLDER = re.compile(
    r"[$#]\{[^{}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%(?:\([^()]*\))?[-+ #0]*\d*[sdrv]"
    r"|\{\w*\}|\{\{[^{}]*\}\}|<[\w .\-]*>|\[[\w .\-]*\]|:[A-Za-z_]\w*|\?")
#: a value a document or a redacting logger writes instead of a secret
_NOT_SECRETS = frozenset({
    "password", "passwd", "pass", "pwd", "secret", "redacted", "filtered", "hidden",
    "masked", "removed", "null", "none", "nil", "undefined", "token", "your_password",
    "yourpassword", "your-password", "mypassword", "my_password", "<password>"})
#: a bearer token of this many characters or more may be a credential (an opaque token);
#: ``Bearer abc`` in a test log or ``Bearer null`` is not
MIN_BEARER = 20


def _placeholder(secret: str) -> bool:
    """Whether ``secret`` stands for a password rather than being one."""
    s = secret.strip()
    if len(s) < 3 or len(set(s)) == 1:  # ***, xxxxx, ......
        return True
    if s.lower() in _NOT_SECRETS or _PLACEHOLDER.fullmatch(s):
        return True
    # a masked value: mostly stars or x's (ab****yz, xxxx-xxxx)
    return sum(c in "*xX•" for c in s) * 2 >= len(s) and ("*" in s or "•" in s
                                                        or s.lower().strip("x-") == "")


def _basic_auth(value: str) -> bool:
    """Whether an ``Authorization: Basic`` value decodes to printable ``user:password``."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, secret = text.partition(":")
    return bool(colon) and text.isprintable() and not _placeholder(secret)


def _bearer(value: str) -> bool:
    """Whether a bearer token looks like one: long, base64url, letters and digits mixed
    (a JWT, or an opaque access token), not a word or a placeholder."""
    if value.startswith("eyJ") and value.count(".") == 2:
        return True
    return (len(value) >= MIN_BEARER and any(c.isdigit() for c in value)
            and any(c.isalpha() for c in value) and not _placeholder(value))


def _user_secret(value: str) -> bool:
    """``user:password`` (curl, a URI): a password that is not a placeholder."""
    _user, colon, secret = value.partition(":")
    return bool(colon) and not _placeholder(secret)


def _quoted_secret(value: str) -> bool:
    """A SQL string literal's text: a plaintext password, not a hash nor a placeholder."""
    # MySQL's native hash (*6BB4837E…) or a crypt string ($A$005$…) is hashed, not plaintext
    if re.fullmatch(r"\*[0-9A-Fa-f]{40}", value) or value.startswith(("$A$", "$5$", "$6$")):
        return False
    return not _placeholder(value)


#: what is written right before a value tells its form (``validate_result`` sees the value
#: only, and the forms need different checks): the longest label is ``IDENTIFIED BY '``
LABEL_WIDTH = 16
_SQL_LABEL = re.compile(r"(?:IDENTIFIED BY |PASSWORD\()['\"]\Z", re.IGNORECASE)
_BASIC_LABEL = re.compile(r"Basic \Z", re.IGNORECASE)
_BEARER_LABEL = re.compile(r"Bearer \Z", re.IGNORECASE)
#: ``= '`` or ``="`` right before a value: it counts only as SET PASSWORD's
_ASSIGNED = re.compile(r"= ?['\"]\Z")
#: how far back on its line ``SET PASSWORD FOR user = '`` is looked for (a user and host of up
#: to 160 characters, MySQL's own limit being 32 and 255)
SET_PASSWORD_REACH = 200
_SET_PASSWORD = re.compile(r"\bset\s+password(?:\s+for\s+[^\s=]{1,160})?\s*=\s*['\"]\Z",
                           re.IGNORECASE)
#: ``UPDATE t SET password = '…'`` sets a column: a pair, which the files connector reads
_UPDATE = re.compile(r"\bupdate\b", re.IGNORECASE)


def is_secret(before: str, value: str) -> bool:
    """Whether ``value``, written after ``before`` (a few characters, or up to
    ``SET_PASSWORD_REACH`` of its line after ``= '``), is a plaintext secret of the form its
    label says."""
    if _ASSIGNED.search(before):
        statement = _SET_PASSWORD.search(before)
        return (statement is not None and _UPDATE.search(before, 0, statement.start()) is None
                and _quoted_secret(value))
    if _SQL_LABEL.search(before):
        return _quoted_secret(value)
    if _BASIC_LABEL.search(before):
        return _basic_auth(value)
    if _BEARER_LABEL.search(before):
        return _bearer(value)
    return _user_secret(value)  # curl -u, scheme://


class CredentialRecognizer(PiaPatternRecognizer):
    ENTITY = "CREDENTIAL"
    PRIORITY = 10
    PATTERNS = [
        # Authorization: Basic YWRtaW46… (base64 of user:password, RFC 7617);
        # Basic realm="x" (a challenge) is no base64
        Pattern("http basic auth", r"(?:(?<=Basic )|(?<=basic )|(?<=BASIC ))"
                r"[A-Za-z0-9+/]{4,512}={0,2}(?![A-Za-z0-9+/=])", 0.3),
        # Authorization: Bearer <token> (RFC 6750): counted only if it looks like a token
        Pattern("http bearer token", r"(?:(?<=Bearer )|(?<=bearer )|(?<=BEARER ))"
                r"[A-Za-z0-9\-._~+/]{8,4096}={0,2}(?![A-Za-z0-9\-._~+/=])", 0.3),
        # MySQL: CREATE USER / ALTER USER / GRANT … IDENTIFIED BY 'secret'
        # (IDENTIFIED BY PASSWORD '*6BB…' gives a hash: no quote right after BY)
        Pattern("sql identified by",
                rf"(?:(?<=IDENTIFIED BY ')|(?<=identified by ')|(?<=Identified by ')){_SQ}",
                0.3),
        Pattern("sql identified by, double-quoted",
                rf'(?:(?<=IDENTIFIED BY ")|(?<=identified by ")|(?<=Identified by ")){_DQ}',
                0.3),
        # MySQL: SET PASSWORD … = PASSWORD('secret'), OLD_PASSWORD('secret') (the '.' of the
        # label stands for the parenthesis, which the lookbehind after it checks)
        Pattern("sql password function",
                rf"(?:(?<=PASSWORD.')|(?<=password.')|(?<=Password.'))(?<=\('){_SQ}", 0.3),
        # MySQL 5.7: SET PASSWORD [FOR 'u'@'%'] = 'secret' (a user of any length lies between
        # label and secret: ``LINE_PREFILTERS`` flags the lines, ``is_secret`` checks them)
        Pattern("sql set password", rf"(?:(?<== ')|(?<==')){_SQ}", 0.3),
        Pattern("sql set password, double-quoted", rf'(?:(?<== ")|(?<==")){_DQ}', 0.3),
        # curl -u user:password, curl --user user:password (quoted or not)
        Pattern("curl user",
                "(?:(?<=curl -u )|(?<= -u ')|(?<= -u \")|(?<=--user )|(?<=--user=)"
                "|(?<=--user ')|(?<=--user \"))"
                r"[^\s:'\"]{1,64}:[^\s'\"]{1,128}(?=[\s'\"]|$)", 0.3),
        # scheme://user:password@host (a database URL, a proxy, a git remote); the password
        # runs to the last @ before the host, as a URI parser reads it
        Pattern("uri userinfo",
                r"(?<=://)[^\s:/@?#'\"<>]{0,64}:[^\s/?#'\"<>]{1,128}(?=@[^\s@/?#'\"<>]+)",
                0.3),
    ]
    #: the lines each pattern may match on. SET PASSWORD's label stands too far back for a
    #: lookbehind; the others would be flagged by their own regex, but its bounded repeats of
    #: negated classes cost Hyperscan seconds to compile (half of pia's cold start): their
    #: label and the value's first characters flag the same lines for a thousandth of that
    LINE_PREFILTERS = {
        **{name: r"(?i)set\s+password[^\n]*=\s*['\"]"
           for name in ("sql set password", "sql set password, double-quoted")},
        "http basic auth": "(?:Basic |basic |BASIC )[A-Za-z0-9+/]{4}",
        "http bearer token": r"(?:Bearer |bearer |BEARER )[A-Za-z0-9\-._~+/]{8}",
        "sql identified by": "(?:IDENTIFIED BY '|identified by '|Identified by ')",
        "sql identified by, double-quoted": '(?:IDENTIFIED BY "|identified by "|Identified by ")',
        "sql password function": r"(?:PASSWORD|password|Password)\('",
        "curl user": "(?:curl -u | -u '| -u \"|--user |--user=|--user '|--user \")[^\\s:'\"]",
        "uri userinfo": r"://[^\s/]*:[^\s/]*@",
    }
    CONTEXT = ["authorization", "password", "identified", "curl", "mysql", "postgresql",
               "redis", "mongodb", "jdbc", "proxy"]

    def validate_result(self, pattern_text: str) -> bool | None:
        """Each form is checked where its label is seen, in ``score_span``: a value that
        gets here passed, and scores 1.0."""
        return True

    def score_span(self, text: str, start: int, end: int, pattern_score: float,
                   maybe_context: bool = True,
                   maybe_negative: bool = True) -> tuple[float, bool] | None:
        before = text[max(0, start - LABEL_WIDTH):start]
        if _ASSIGNED.search(before):  # SET PASSWORD's label lies further back on the line
            line = text.rfind("\n", 0, start) + 1
            before = text[max(line, start - SET_PASSWORD_REACH):start]
        if not is_secret(before, text[start:end]):
            return None
        return super().score_span(text, start, end, pattern_score, maybe_context,
                                  maybe_negative)
