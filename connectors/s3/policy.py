"""What a bucket policy lets anyone do, and to which keys: public read reachability.

A policy that allows Principal ``*`` something is public (``posture.public_policy``), but
CSL-40's question is narrower: can anyone read the objects that hold PI? A statement that
makes ``public-assets/*`` readable, or allows anyone only ``s3:PutObject`` or
``s3:ListBucket``, does not hand out ``exports/users.csv``. So the statements that apply to
anyone without a limiting condition are kept as ``public_grants`` (effect, actions or
``not_actions``, resources or ``not_resources``, as written), and each object holding PI is
judged against them: readable when an ``Allow`` covers reading it (``GetObject``, ``Get*``,
``*``) and its key, and no ``Deny`` to anyone covers it (IAM: an explicit deny wins).

Actions and resources are matched as IAM matches them (case-insensitive actions, ``*`` and
``?`` wildcards that cross ``/``), in AWS's, OSS's (``oss:GetObject``, ``acs:oss:*:*:b/k``),
COS's (``name/cos:GetObject``, ``qcs::cos:region:uid/1:b/k``) and OBS's syntax.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

#: the operation that reads an object, and those that list a bucket's keys, by service
#: (COS lists with GetBucket, OSS with ListObjects)
_READ = "getobject"
_LIST = {"s3": {"listbucket"}, "oss": {"listobjects"}, "cos": {"getbucket"},
         "obs": {"listbucket"}}
_ANY_LIST = frozenset().union(*_LIST.values())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def grant(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement (keys already lower-cased) reduced to what it grants: its effect and its
    actions and resources, each as written or as their ``Not…`` form. A statement that names
    no resource applies to all (COS may leave it to the policy)."""
    out: dict[str, Any] = {"effect": str(statement.get("effect", "")).lower()}
    for name in ("action", "notaction"):
        if name in statement:
            out["not_actions" if name == "notaction" else "actions"] = _strings(statement[name])
    if "notresource" in statement:
        out["not_resources"] = _strings(statement["notresource"])
    else:
        out["resources"] = _strings(statement.get("resource", "*")) or ["*"]
    return out


def _operation(pattern: str) -> tuple[str, str]:
    """(service, operation pattern) of an action: ``s3:Get*`` → (s3, get*), ``name/cos:
    GetObject`` → (cos, getobject), ``obs:object:GetObject`` → (obs, getobject), ``*`` →
    (``*``, ``*``)."""
    text = pattern.strip().lower().removeprefix("name/")
    if ":" not in text:
        return "*", text
    service, _, rest = text.partition(":")
    return service, rest.rsplit(":", 1)[-1]


def _action_covers(patterns: list[str], wanted: set[str]) -> bool:
    """Whether one of ``patterns`` names an operation in ``wanted`` (of its own service when
    the pattern names one)."""
    for pattern in patterns:
        service, operation = _operation(pattern)
        names = wanted if service == "*" or _READ in wanted else wanted & _LIST.get(service, set())
        if any(fnmatchcase(name, operation) for name in names):
            return True
    return False


def _resource_of(arn: str) -> str:
    """The ``bucket/key`` part of a resource: after ``arn:aws:s3:::``, ``qcs::cos:r:uid/1:``
    (five colons) or ``acs:oss:*:*:``, ``obs:*:*:object:`` (four); ``*`` stays ``*``. IAM's
    wildcards are fnmatch's, but for ``[``, which IAM takes as itself."""
    text = arn.strip()
    if text != "*":
        colons = 5 if text.lower().startswith(("arn:", "qcs:")) else 4
        parts = text.split(":", colons)
        text = parts[-1] if len(parts) > colons else text
        if text.lower().startswith(("object:", "bucket:")):  # OBS: obs:*:*:object:b/k
            text = text.split(":", 1)[1]
    return text.replace("[", "[[]")


def _resource_covers(patterns: list[str], target: str) -> bool:
    return any(fnmatchcase(target, _resource_of(p)) for p in patterns)


def _covers(entry: dict[str, Any], operations: set[str], target: str) -> bool:
    """Whether a grant applies to any of ``operations`` on ``target`` (``bucket/key`` or
    ``bucket``)."""
    if "not_actions" in entry:
        acts = not _action_covers(entry["not_actions"], operations)
    else:
        acts = _action_covers(entry.get("actions", []), operations)
    if "not_resources" in entry:
        return acts and not _resource_covers(entry["not_resources"], target)
    return acts and _resource_covers(entry.get("resources", []), target)


def _allowed(grants: list[dict[str, Any]], operations: set[str], target: str) -> bool:
    allowed = any(g["effect"] == "allow" and _covers(g, operations, target) for g in grants)
    return allowed and not any(g["effect"] == "deny" and _covers(g, operations, target)
                               for g in grants)


def readable(grants: list[dict[str, Any]], bucket: str, key: str) -> bool:
    """Whether the public grants let anyone read ``key`` (GetObject on ``bucket/key``)."""
    return _allowed(grants, {_READ}, f"{bucket}/{key}")


def listable(grants: list[dict[str, Any]], bucket: str) -> bool:
    """Whether the public grants let anyone list the bucket's keys (ListBucket on the
    bucket, ListObjects on OSS, GetBucket on COS)."""
    return _allowed(grants, set(_ANY_LIST), bucket)
