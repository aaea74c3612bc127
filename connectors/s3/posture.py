"""Bucket posture: the facts the rules judge a bucket by, each one always recorded.

"Not configured" is an answer (``encryption: "none"``, ``lifecycle: []``), and so is "we were
not allowed to look" (``"access_denied"``): a rule must be able to tell a bucket without
encryption from a bucket whose encryption nobody could read. Other failures (an endpoint that
does not implement object lock, a throttled call) record ``"unavailable"``, and every
attribute that could not be read names its error code under ``errors``.

Public access is recorded as it takes effect: ``public_acl``/``public_policy`` are ``true``
only when the ACL or the policy lets anyone in. A grant that the bucket's Public Access Block
neutralises (IgnorePublicAcls for ACLs, RestrictPublicBuckets for policies) reads
``"blocked"``, and a policy whose every public ``Allow`` is limited by a condition to an
organisation, an account, a VPC or fixed addresses reads ``"conditional"``: each says what
the bucket grants without calling it exposed. What a public policy grants, and where, is
kept too (``public_grants``, ``policy.grant``): whether anyone may read the objects holding
PI is judged against it once they are read (``reach.public_objects``).

Attribute names are a contract with the rulesets (``bucket.public_acl``, ``bucket.lifecycle``,
``bucket.replication``...): change them together.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from pia.connectors.s3.client import (
    CALL_ERRORS,
    CUSTOM,
    DENIED,
    classify,
    endpoint_of,
    error_code,
)
from pia.connectors.s3.policy import grant
from pia.rules.regions import jurisdiction, place

POSTURE_THREADS = 5
#: how ``unread_posture``'s note ends (a bucket's note, not why a source failed)
NOT_JUDGED = " not judged"
ACCESS_DENIED = "access_denied"
UNAVAILABLE = "unavailable"
#: ACL grantee groups that mean anyone (AuthenticatedUsers: anyone with an account of the
#: cloud), as AWS (and OSS, OBS, MinIO over the S3 API) and Tencent COS name them
_PUBLIC_GROUPS = frozenset({"http://acs.amazonaws.com/groups/global/AllUsers",
                            "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
                            "http://cam.qcloud.com/groups/global/AllUsers",
                            "http://cam.qcloud.com/groups/global/AuthenticatedUsers"})
#: principals that mean anyone: AWS's and OSS's ``*``, COS's anonymous CAM identity
_ANYONE = frozenset({"*", "qcs::cam::anyone:anyone"})
#: error codes that mean "this bucket has no such configuration"
_NOT_CONFIGURED = {
    "encryption": {"ServerSideEncryptionConfigurationNotFoundError"},
    "public_access_block": {"NoSuchPublicAccessBlockConfiguration"},
    "public_policy": {"NoSuchBucketPolicy"},
    "object_lock": {"ObjectLockConfigurationNotFoundError"},
    "lifecycle": {"NoSuchLifecycleConfiguration"},
    "replication": {"ReplicationConfigurationNotFoundError"},
    "tags": {"NoSuchTagSet", "NoSuchTagSetError"},
}
_EMPTY: dict[str, Any] = {"encryption": "none", "public_access_block": False,
                          "public_policy": False, "object_lock": False, "lifecycle": [],
                          "replication": [], "tags": {}}


class Fatal(Exception):
    """The credentials or the endpoint failed: no further call can succeed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_region(constraint: str | None) -> str:
    """GetBucketLocation's answer as a region name (``None`` is us-east-1, ``EU`` eu-west-1)."""
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else constraint


def bucket_region(client: Any, bucket: str) -> tuple[str | None, str | None]:
    """(region, error code): from GetBucketLocation, else from HeadBucket's region header,
    which S3 returns even when the caller may not read the bucket. GetBucketLocation is a
    source's first request: an answer that is not S3's raises ``Fatal``."""
    try:
        return normalise_region(client.get_bucket_location(Bucket=bucket)
                                .get("LocationConstraint")), None
    except CALL_ERRORS as err:
        failure = classify(err, endpoint_of(client), first=client)
        if failure.kind == "fatal":
            raise Fatal(failure.reason) from None
        if not isinstance(err, ClientError):
            return None, type(err).__name__
        code = error_code(err)
        if code == "NoSuchBucket":
            return None, code
        header = err.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        region = header.get("x-amz-bucket-region")
    if region is None:
        try:
            region = client.head_bucket(Bucket=bucket).get("BucketRegion")
        except ClientError as err:
            hdrs = err.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
            region = hdrs.get("x-amz-bucket-region")
        except CALL_ERRORS:
            region = None
    return region, (None if region else code)


def where(region: str | None, provider: str, mainland: Any = None) -> str:
    """A region's jurisdiction in its provider's table; ``unknown`` on a custom endpoint,
    whose region is the server's own label (a MinIO in Hangzhou answers ``us-east-1``): the
    organisation's ``mainland_regions`` (``mainland``) may place it, a cloud's table must
    not be overridden (``regions.place``, as the rules judge it)."""
    return place(region, "unknown" if provider == CUSTOM else jurisdiction(region, provider),
                 mainland)


def _encryption(c: Any, b: str) -> str:
    rules = c.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"]
    algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
                  for r in rules]
    found = [a for a in algorithms if a]
    return "aws:kms" if any(a.startswith("aws:kms") for a in found) else (
        found[0] if found else "none")


_PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
              "RestrictPublicBuckets")


def _public_access_block(c: Any, b: str) -> dict[str, bool]:
    """The four flags (``bucket_fact`` folds them into one boolean: all of them on)."""
    config = c.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
    return {flag: config.get(flag) is True for flag in _PAB_FLAGS}


def grants_public(acl: dict[str, Any]) -> bool:
    """Whether a GetBucketAcl/GetObjectAcl answer grants anything to everyone."""
    return any((g.get("Grantee") or {}).get("URI") in _PUBLIC_GROUPS
               for g in acl.get("Grants", []))


def _public_acl(c: Any, b: str) -> bool:
    return grants_public(c.get_bucket_acl(Bucket=b))


def _lower_keys(value: Any) -> Any:
    """A policy element with its keys lower-cased (COS writes ``statement``, ``effect``...;
    AWS and OSS ``Statement``, ``Effect``...); values are kept as written."""
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else value


def is_public_principal(principal: Any) -> bool:
    """Anyone: ``"*"``, ``["*"]`` (OSS), ``{"AWS": "*"}``, ``{"qcs": ["qcs::cam::anyone:anyone"]}``
    (COS), ``{"ID": ["*"]}`` (OBS); the names in a dict are matched without case."""
    if isinstance(principal, str):
        return principal in _ANYONE
    if isinstance(principal, list):
        return any(is_public_principal(p) for p in principal if isinstance(p, str))
    if isinstance(principal, dict):
        return any(is_public_principal(v) for k, v in _lower_keys(principal).items()
                   if k in ("aws", "qcs", "id") and isinstance(v, str | list))
    return False


#: condition keys that limit a grant to known callers or networks when compared with fixed
#: values (the keys AWS itself accepts as making a policy not public)
_LIMITING_KEYS = frozenset({
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
    "aws:sourceip", "aws:userid", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    "acs:sourceip", "acs:sourcevpc", "acs:sourcevpcid", "qcs:ip", "qcs:vpc"})
#: operators that admit only the values named ("...IfExists" admits a request without the
#: key, as an anonymous one is; "Not..." admits everyone else)
_LIMITING_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike",
                                 "arnequals", "arnlike", "ipaddress", "ip_equal",
                                 "string_equal"})
#: an address range wider than this (IPv4 /8: 16 million addresses; IPv6 /32) limits no one:
#: ``0.0.0.0/1`` and ``128.0.0.0/1`` together are the whole internet
_WIDEST_PREFIX = {4: 8, 6: 32}


def _opens(value: Any) -> bool:
    """Whether a condition value admits anyone: a wildcard, or a very wide address range."""
    text = str(value)
    if "*" in text:
        return True
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return False  # not an address: an organisation, an account, a VPC
    return network.prefixlen < _WIDEST_PREFIX[network.version]


def _limits_callers(condition: Any) -> bool:
    """Whether a statement's Condition admits only fixed organisations, accounts, VPCs or
    addresses (a wildcard value, or an address range shorter than /8, admits anyone)."""
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        op = str(operator).lower().removeprefix("foranyvalue:")
        if op not in _LIMITING_OPERATORS or not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            values = values if isinstance(values, list) else [values]
            if (str(key).lower() in _LIMITING_KEYS and values
                    and not any(_opens(v) for v in values)):
                return True
    return False


def _to_anyone(statement: dict[str, Any], policy: dict[str, Any]) -> bool:
    """The statement applies to anyone (``is_public_principal``), or to everyone but the
    principals it names (``NotPrincipal``: Access Analyzer calls an allow so public too)."""
    return ("notprincipal" in statement
            or is_public_principal(statement.get("principal", policy.get("principal"))))


def _allows_anyone(statement: dict[str, Any], policy: dict[str, Any]) -> bool:
    """An ``Allow`` to anyone (``_to_anyone``)."""
    return str(statement.get("effect", "")).lower() == "allow" and _to_anyone(statement, policy)


def _public_policy(c: Any, b: str) -> tuple[bool | str, list[dict[str, Any]]]:
    """(verdict, public grants). The verdict: True when a statement allows anyone
    (``_allows_anyone``); "conditional" when every such statement is limited by a condition
    (``_limits_callers``). The grants (``policy.grant``): the allows to anyone that no
    condition limits, and the denies to anyone under no condition at all (a deny that holds
    only sometimes protects nothing surely), which say what anyone may do, and where
    (``policy.readable``). Keys are read without case and ``allow`` too: COS writes
    ``{"statement": [{"effect": "allow"...``."""
    policy = _lower_keys(json.loads(c.get_bucket_policy(Bucket=b)["Policy"]))
    statements = policy.get("statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    statements = [_lower_keys(s) for s in statements if isinstance(s, dict)]
    public = [s for s in statements if _allows_anyone(s, policy)]
    if not public:
        return False, []
    open_ = [s for s in public if not _limits_callers(s.get("condition"))]
    denies = [s for s in statements if str(s.get("effect", "")).lower() == "deny"
              and _to_anyone(s, policy) and not s.get("condition")]
    return (True if open_ else "conditional"), [grant(s) for s in open_ + denies]


def _versioning(c: Any, b: str) -> str:
    return c.get_bucket_versioning(Bucket=b).get("Status") or "none"


def _object_lock(c: Any, b: str) -> bool:
    config = c.get_object_lock_configuration(Bucket=b).get("ObjectLockConfiguration", {})
    return config.get("ObjectLockEnabled") == "Enabled"


def rule_filter(rule: dict[str, Any]) -> dict[str, Any]:
    """What a lifecycle rule applies to: ``prefix`` always, and ``tags`` and the
    ``object_size_greater_than``/``object_size_less_than`` bounds when it is narrowed by
    them (``Filter``, ``Filter.And``, or the legacy ``Prefix``)."""
    filt = rule.get("Filter") or {}
    both = filt.get("And") or {}
    out: dict[str, Any] = {"prefix": str(filt.get("Prefix", both.get("Prefix",
                                                                  rule.get("Prefix", ""))))}
    tags = [t for t in [filt.get("Tag"), *(both.get("Tags") or [])] if isinstance(t, dict)]
    if tags:
        out["tags"] = {str(t.get("Key")): str(t.get("Value", "")) for t in tags}
    for name, field in (("ObjectSizeGreaterThan", "object_size_greater_than"),
                        ("ObjectSizeLessThan", "object_size_less_than")):
        bound = filt.get(name, both.get(name))
        if bound is not None:
            out[field] = int(bound)
    return out


def _expiry(rule: dict[str, Any]) -> dict[str, Any]:
    """What an enabled lifecycle rule deletes: current objects after ``expiration_days`` or on
    ``expiration_date``, noncurrent versions after ``noncurrent_days`` (see ``expires_in``)."""
    expiration = rule.get("Expiration") or {}
    noncurrent = rule.get("NoncurrentVersionExpiration") or {}
    out: dict[str, Any] = {}
    if expiration.get("Days"):
        out["expiration_days"] = int(expiration["Days"])
    if expiration.get("Date"):
        date = expiration["Date"]
        out["expiration_date"] = date.date().isoformat() if hasattr(date, "date") else str(date)
    if noncurrent.get("NoncurrentDays"):
        out["noncurrent_days"] = int(noncurrent["NoncurrentDays"])
    return out


def _lifecycle(c: Any, b: str) -> list[dict[str, Any]]:
    """The enabled rules that delete something, each with its ``id`` when it has one: a
    finding names the rule that deletes the logs, not the whole configuration."""
    rules = c.get_bucket_lifecycle_configuration(Bucket=b).get("Rules", [])
    out = [{**({"id": str(r["ID"])} if r.get("ID") else {}), **rule_filter(r), **expiry}
           for r in rules if r.get("Status") == "Enabled" and (expiry := _expiry(r))]
    return sorted(out, key=lambda r: (r["prefix"], json.dumps(r, sort_keys=True)))


#: what narrows a lifecycle rule beyond its prefix (``rule_filter``)
_NARROWING = frozenset({"tags", "object_size_greater_than", "object_size_less_than"})


def _applies(rule: dict[str, Any], key: str, size: int | None) -> bool:
    """Whether a rule surely applies to an object: its prefix, and its size bounds when the
    size is known. A rule narrowed by tags is never taken to apply (object tags are not
    read), nor a size-bounded one to an object of unknown size: neither may be counted as
    deleting PI that it might keep."""
    if "tags" in rule or not key.startswith(rule["prefix"]):
        return False
    low, high = rule.get("object_size_greater_than"), rule.get("object_size_less_than")
    if low is None and high is None:
        return True
    return size is not None and (low is None or size > low) and (high is None or size < high)


def _days_until(iso_date: str, today: date) -> int:
    try:
        return max((date.fromisoformat(iso_date[:10]) - today).days, 0)
    except ValueError:
        return 0


def expires_in(lifecycle: list[dict[str, Any]], key: str, size: int | None,
               versioned: bool, today: date) -> int | None:
    """In how many days, at most, the lifecycle deletes an object stored today: the earliest
    current-object expiry among the rules that apply (``expiration_days``, or the days to
    ``expiration_date``); None if never. In a versioned bucket (versioning Enabled or
    Suspended) an expiry only adds a delete marker and the data stays as a noncurrent
    version, so it is deleted only ``noncurrent_days`` later, and never without such a rule."""
    return _deleting(lifecycle, key, size, versioned, today)[0]


def _deleting(lifecycle: list[dict[str, Any]], key: str, size: int | None, versioned: bool,
              today: date) -> tuple[int | None, list[dict[str, Any]]]:
    """``expires_in`` and the rules that decide it: the one whose current-object expiry comes
    first, and in a versioned bucket the one whose noncurrent expiry comes first (the same
    rule once); the first in the lifecycle's order on a tie."""
    rules = [r for r in lifecycle if _applies(r, key, size)]
    current = [(r["expiration_days"] if "expiration_days" in r
                else _days_until(r["expiration_date"], today), r)
               for r in rules if "expiration_days" in r or "expiration_date" in r]
    if not current:
        return None, []
    days, first = min(current, key=lambda pair: pair[0])
    if not versioned:
        return days, [first]
    noncurrent = [(r["noncurrent_days"], r) for r in rules if "noncurrent_days" in r]
    if not noncurrent:
        return None, []
    more, then = min(noncurrent, key=lambda pair: pair[0])
    return days + more, [first] if then is first else [first, then]


def log_expiry(lifecycle: list[dict[str, Any]], logs: dict[str, int | None], versioning: Any,
               today: date) -> tuple[int | None, list[dict[str, Any]]]:
    """The fewest days after which the lifecycle deletes a log, and the rules that decide it
    (CSL 21(三): logs are kept six months): over the log objects read (``logs``, {key:
    size}), and over any object for a rule with no filter at all, which deletes whatever
    logs the bucket holds, read or not. A rule that applies only to objects that are not
    logs (``tmp/`` exports) says nothing of the logs; nor does a rule that applies to no
    object read: it deletes no log the scan saw (``(None, [])`` when no rule deletes one)."""
    versioned = versioning in ("Enabled", "Suspended")
    unfiltered = [r for r in lifecycle if r["prefix"] == "" and not set(r) & _NARROWING]
    found = [_deleting(lifecycle, k, size, versioned, today) for k, size in sorted(logs.items())]
    found.append(_deleting(unfiltered, "", None, versioned, today))
    decided = [(days, rules) for days, rules in found if days is not None]
    if not decided:
        return None, []
    days, rules = min(decided, key=lambda pair: pair[0])
    return days, [dict(r) for r in rules]


def shortest_expiry(lifecycle: list[dict[str, Any]], objects: dict[str, int | None],
                    versioning: Any, today: date) -> int | None:
    """The fewest days after which the lifecycle deletes one of ``objects`` ({key: size}):
    ``expires_in`` for each, so a rule on ``tmp/`` says nothing of ``nginx/`` and a date
    counts as the days left until it; None when it deletes none of them."""
    versioned = versioning in ("Enabled", "Suspended")
    days = [d for k, size in objects.items()
            if (d := expires_in(lifecycle, k, size, versioned, today)) is not None]
    return min(days) if days else None


def unexpired(lifecycle: Any, objects: dict[str, int | None], versioning: Any,
              today: date) -> list[str] | None:
    """The keys (of ``{key: size}``) no lifecycle rule deletes (``expires_in``: a rule on
    ``tmp/`` says nothing of ``users.csv``; one narrowed by tags is not counted); None when
    the lifecycle could not be read."""
    if not isinstance(lifecycle, list):
        return None
    versioned = versioning in ("Enabled", "Suspended")
    return [k for k, size in objects.items()
            if expires_in(lifecycle, k, size, versioned, today) is None]


def _logging(c: Any, b: str) -> bool:
    return "LoggingEnabled" in c.get_bucket_logging(Bucket=b)


def _tags(c: Any, b: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in c.get_bucket_tagging(Bucket=b).get("TagSet", [])}


def _replication(c: Any, b: str, provider: str, mainland: Any) -> list[dict[str, Any]]:
    config = c.get_bucket_replication(Bucket=b)["ReplicationConfiguration"]
    out = []
    for rule in config.get("Rules", []):
        if rule.get("Status", "Enabled") != "Enabled":
            continue
        arn = str((rule.get("Destination") or {}).get("Bucket", ""))
        dest = arn.rsplit(":", 1)[-1]
        try:
            region, _ = bucket_region(c, dest)
        except Fatal:
            region = None
        out.append({"destination": dest, "region": region,
                    "jurisdiction": where(region, provider, mainland)})
    return sorted(out, key=lambda r: r["destination"])


def _read(client: Any, bucket: str, name: str,
          read: Callable[[Any, str], Any]) -> tuple[Any, str | None]:
    """(value, error code or None) of one attribute; raises ``Fatal``."""
    try:
        return read(client, bucket), None
    except CALL_ERRORS as err:
        failure = classify(err, endpoint_of(client))
        if failure.kind == "fatal":
            raise Fatal(failure.reason) from None
        if not isinstance(err, ClientError):
            return UNAVAILABLE, type(err).__name__
        code = error_code(err)
        if code in _NOT_CONFIGURED.get(name, ()):
            return _EMPTY[name], None
        return (ACCESS_DENIED if code in DENIED else UNAVAILABLE), code
    except (ValueError, KeyError, TypeError, AttributeError):  # a malformed answer
        return UNAVAILABLE, "malformed response"


def _effective_exposure(attrs: dict[str, Any]) -> None:
    """Fold the Public Access Block flags into one boolean, marking as ``"blocked"`` a public
    ACL that IgnorePublicAcls neutralises and a public policy that RestrictPublicBuckets
    does (BlockPublicAcls and BlockPublicPolicy only refuse new ones)."""
    flags = attrs["public_access_block"]
    if not isinstance(flags, dict):
        return
    attrs["public_access_block"] = all(flags.values())
    attrs["ignore_public_acls"] = flags["IgnorePublicAcls"]
    if flags["IgnorePublicAcls"] and attrs["public_acl"] is True:
        attrs["public_acl"] = "blocked"
    if flags["RestrictPublicBuckets"] and attrs["public_policy"] in (True, "conditional"):
        attrs["public_policy"] = "blocked"


#: posture the rules judge a bucket by: how a report names it, and what goes unjudged
#: when it cannot be read (object lock and the Public Access Block are judged by no rule on
#: their own: an unreadable block leaves a public grant public)
_JUDGED = {"public_policy": ("bucket policy", "public exposure"),
           "public_acl": ("bucket ACL", "public exposure"),
           "encryption": ("default encryption", "encryption at rest"),
           "versioning": ("versioning", "backup"),
           "replication": ("replication", "backup and replication abroad"),
           "lifecycle": ("lifecycle", "retention"),
           "logging": ("access logging", "audit logging"),
           "tags": ("tags", "classification")}


def unread_posture(attrs: dict[str, Any]) -> str | None:
    """What a ``skipped`` record says of a bucket whose posture could not all be read
    (``bucket policy could not be read (AccessDenied): public exposure not judged``), or
    None: an ``"access_denied"`` attribute is recorded, but a rule cannot judge it, and a
    report showing no finding must not read as a bucket found private."""
    unread = [(label, attrs.get("errors", {}).get(name) or attrs[name], judged)
              for name, (label, judged) in _JUDGED.items()
              if attrs.get(name) in (ACCESS_DENIED, UNAVAILABLE)]
    if not unread:
        return None
    if len(unread) == len(_JUDGED):  # a bucket shut to these credentials: one short line
        codes = ", ".join(sorted({code for _, code, _ in unread}))
        return (f"bucket posture could not be read ({codes}): public exposure, encryption at "
                f"rest and the other posture rules{NOT_JUDGED}")
    what = ", ".join(f"{label} ({code})" for label, code, _ in unread)
    judged = ", ".join(dict.fromkeys(j for _, _, j in unread))
    return f"{what} could not be read: {judged}{NOT_JUDGED}"


def bucket_fact(client: Any, source: str, bucket: str, region: str | None,
                provider: str, region_error: str | None = None,
                mainland: Any = None) -> dict[str, Any]:
    """The ``bucket`` fact; raises ``Fatal`` when the credentials or the endpoint fail.
    ``provider`` is the endpoint's cloud, or ``CUSTOM``; ``mainland`` the declaration's
    ``mainland_regions``, which place a region no table does (see ``where``).

    The ten reads run on threads (a boto3 client is thread-safe): over a WAN each is a
    round trip, and ``s3://`` may cover hundreds of buckets."""
    attrs: dict[str, Any] = {"region": region, "jurisdiction": where(region, provider, mainland),
                             "provider": provider}
    errors: dict[str, str] = {"region": region_error} if region_error else {}
    readers: list[tuple[str, Callable[[Any, str], Any]]] = [
        ("encryption", _encryption), ("public_access_block", _public_access_block),
        ("public_acl", _public_acl), ("public_policy", _public_policy),
        ("versioning", _versioning), ("object_lock", _object_lock),
        ("lifecycle", _lifecycle), ("logging", _logging),
        ("replication", lambda c, b: _replication(c, b, provider, mainland)), ("tags", _tags),
    ]
    with ThreadPoolExecutor(max_workers=POSTURE_THREADS) as pool:
        futures = [(name, pool.submit(_read, client, bucket, name, read))
                   for name, read in readers]
        for name, future in futures:
            attrs[name], code = future.result()  # re-raises Fatal
            if code is not None:
                errors[name] = code
    if isinstance(attrs["public_policy"], tuple):  # read: the verdict and what it grants
        attrs["public_policy"], attrs["public_grants"] = attrs["public_policy"]
    elif attrs["public_policy"] is False:  # no policy
        attrs["public_grants"] = []
    _effective_exposure(attrs)
    attrs["errors"] = errors
    return {"kind": "bucket", "source": source, "location": {"bucket": bucket},
            "attributes": attrs}
