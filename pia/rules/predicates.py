"""Named predicates: the vocabulary rules are written in.

Each predicate answers one question a lawyer would ask ("is this sensitive PI?", "did the
organisation declare it?", "is the bucket in the mainland?") over the evaluation context the
engine builds for one subject (see ``pia.rules.engine``). They return True, False or None
(unknown); unknown never makes a rule fire. Without a declaration, every ``*_declared``
predicate is unknown: the engine reports such rules as not evaluated instead of guessing.

The ``PREDICATES`` table is the registry: the loader refuses any other name, and
``docs/rules.md`` lists them with their first docstring line.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import date
from typing import Any

from pia.entities import ENUMERABLE, NOT_PERSONAL, is_sensitive
from pia.masked_names import NAME_ORIGIN
from pia.media import image_name
from pia.rules.activities import consent_not_separate, guardian_consent_missing, pia_declared
from pia.rules.conditions import MISSING, Predicate, Truth, note_undecided, resolve
from pia.rules.placement import (
    outside_mainland,
    region_in_mainland,
    replicates_outside_mainland,
    stored_outside_mainland,
)

Ctx = dict[str, Any]

_DUMP_KEYS = ("*.sql", "*.csv", "*.xlsx", "*.xls", "*.dump", "*.bak", "*.sql.gz", "*.csv.gz",
              "*.tar.gz", "*.zip")
_CLASS_TAGS = ("*class*", "*分类*", "*分级*", "*sensitiv*", "*data-level*", "*datalevel*")
_BLOB_TYPES = ("*blob*", "bytea", "*binary*", "image", "raw", "long raw")


def _has_declaration(ctx: Ctx) -> bool:
    return "declaration" in ctx


def sensitive(ctx: Ctx) -> Truth:
    """The item is sensitive PI (PIPL 28); for a fact or asset, it holds some. Children's PI
    is, where its asset declares ``minors: true`` though no age shows."""
    if _minors_declared_here(ctx):  # children's PI is sensitive (PIPL 28)
        return True
    value = resolve(ctx, "item.sensitive") if "item" in ctx else resolve(ctx, "pi.sensitive")
    return None if value is MISSING else bool(value)


def _minors_declared_here(ctx: Ctx) -> bool:
    """The subject's PI is children's data because its asset declares ``minors: true``,
    though no age under 14 was seen in it (``engine._minors_from``)."""
    return resolve(ctx, "pi.minors_from") == "declared"


def _nothing_sampled(ctx: Ctx) -> bool:
    """A column known by its name alone (an empty table): how it stores values is unknown."""
    return resolve(ctx, "item.count") == 0


#: how the user lets a rule decide a column whose table could not be read
NOT_SAMPLED_HINT = ("let the scanning account read the table, or scan it again when it is not"
                    " locked")


def _not_sampled(ctx: Ctx) -> bool:
    """A column of a table that could not be read (locked, denied, timed out), known by its
    name and comment alone: what its name or comment says of its protection is a claim no
    value bore out, so neither a protected nor a plaintext rule is decided by it."""
    why = resolve(ctx, "item.not_sampled")
    if why is MISSING or not why:
        return False
    location = resolve(ctx, "item.location")
    column = location.get("column") if isinstance(location, dict) else None
    note_undecided(ctx, f"{f'column {column}: ' if column else ''}its values could not be sampled"
                   f" ({why})", NOT_SAMPLED_HINT)
    return True


def protected(ctx: Ctx) -> Truth:
    """The item's values are masked, hashed with a key or a salt, or encrypted."""
    value = resolve(ctx, "item.protected")
    if value is MISSING or _not_sampled(ctx) or (not value and _nothing_sampled(ctx)):
        return None
    return bool(value)


#: identifiers whose values validate (a check digit, Luhn): their plaintext is shown by
#: values that do (CONTROLS.md: PIPL-28-SENSITIVE-PLAINTEXT), not by a name alone
_VALIDATING = frozenset({"CN_RESIDENT_ID", "CN_BANK_CARD"})
UNVALIDATED_WHY = "its values have the shape its name gives them but fail its check digit"
UNVALIDATED_HINT = ("check whether they are real identifiers; if they are, mask, encrypt or"
                    " hash them with a key")


def _unvalidated(ctx: Ctx) -> bool:
    """A column a name or comment calls resident IDs, whose sampled values have an ID's shape
    and fail the check digit (legacy, hand-typed or test data; ``connectors.db``): it is
    that PI by its name, and whether its values are real IDs is unknown."""
    signals = resolve(ctx, "item.signals")
    return (resolve(ctx, "item.entity_type") in _VALIDATING and isinstance(signals, list)
            and "values" not in signals)


def plaintext(ctx: Ctx) -> Truth:
    """The item's sampled values are stored as they are (no mask, digest or ciphertext);
    unknown when no value was sampled, or when values of an identifier's shape fail its
    check (``_unvalidated``)."""
    value = resolve(ctx, "item.protection")
    if value is MISSING or _not_sampled(ctx) or (value == "plaintext" and _nothing_sampled(ctx)):
        return None
    if value == "plaintext" and _unvalidated(ctx):
        note_undecided(ctx, UNVALIDATED_WHY, UNVALIDATED_HINT)
        return None
    return value == "plaintext"


def personal(ctx: Ctx) -> Truth:
    """The item's entity type is personal information (an organisation's USCC is not)."""
    value = resolve(ctx, "item.entity_type")
    return None if value is MISSING else value not in NOT_PERSONAL


def general_pi(ctx: Ctx) -> Truth:
    """The item is personal but not sensitive PI (CSL 76(五) general PI)."""
    return _and(personal(ctx), _not(sensitive(ctx)))


def enumerable(ctx: Ctx) -> Truth:
    """The item's identifier space is small enough to reverse an unsalted digest by trying
    every value (resident IDs, mobiles, bank cards, passports)."""
    value = resolve(ctx, "item.entity_type")
    return None if value is MISSING else value in ENUMERABLE


def holds_pi(ctx: Ctx) -> Truth:
    """The subject (table, column, bucket, object, file, asset) holds personal information
    according to the inventory."""
    value = resolve(ctx, "pi.items")
    return None if value is MISSING else value > 0


def sensitive_type(ctx: Ctx) -> Truth:
    """The item is sensitive PI of its kind, whoever it is of (PIPL 28's biometrics,
    religion, specific identity, health, financial accounts, whereabouts): its entity type
    is sensitive, or the item says it is sensitive where no child's data explains why."""
    entity = resolve(ctx, "item.entity_type")
    if entity is MISSING:
        return None
    return is_sensitive(entity) or (resolve(ctx, "item.sensitive") is True
                                    and not children_data(ctx))


def children_data(ctx: Ctx) -> Truth:
    """The subject holds personal information of children under 14, which PIPL 28 makes
    sensitive whatever its type: for an item, its whole table, file or object counts
    children (their names are children's data as much as the birth dates that tell their
    age); for any other subject, the PI it holds does. So does the PI of an asset declared
    ``minors: true`` (a table of pupils' names alone), but a guardian's."""
    if _minors_declared_here(ctx):
        return True
    value = resolve(ctx, "pi.holder_minors_count")
    if value is MISSING:
        value = resolve(ctx, "pi.minors_count")
    return bool(value) if value is not MISSING else False


def has_minors(ctx: Ctx) -> Truth:
    """Resident IDs or birth dates in the subject give an age under 14 at scan time, or the
    subject's asset declares ``minors: true`` and the subject holds PI that is no adult's."""
    if _minors_declared_here(ctx):
        return True
    value = resolve(ctx, "pi.minors_count")
    return None if value is MISSING else value > 0


def declared(ctx: Ctx) -> Truth:
    """A declared asset's ``source`` covers the subject."""
    if not _has_declaration(ctx):
        return None
    return "asset" in ctx


def category_declared(ctx: Ctx) -> Truth:
    """The item's entity type is among the ``pi_categories`` of its declared asset."""
    if not _has_declaration(ctx):
        return None
    if "asset" not in ctx:
        return False
    categories = ctx["asset"].get("pi_categories")
    if categories is None:
        return None
    return resolve(ctx, "item.entity_type") in categories


def sensitive_declared(ctx: Ctx) -> Truth:
    """The subject's declared asset says ``sensitive: true``."""
    if not _has_declaration(ctx):
        return None
    return "asset" in ctx and ctx["asset"].get("sensitive") is True


def minors_declared(ctx: Ctx) -> Truth:
    """The subject's declared asset says ``minors: true``."""
    if not _has_declaration(ctx):
        return None
    return "asset" in ctx and ctx["asset"].get("minors") is True


def anonymised_declared(ctx: Ctx) -> Truth:
    """The subject's declared asset claims ``anonymised: true`` (outside PIPL, per PIPL 4)."""
    if not _has_declaration(ctx):
        return None
    return "asset" in ctx and ctx["asset"].get("anonymised") is True


def column_declared(ctx: Ctx) -> Truth:
    """Some declared asset lists the item's ``table.column`` (in ``columns`` or
    ``protection``); used for migrations, whose source is a file, not a database."""
    if not _has_declaration(ctx):
        return None
    table, column = resolve(ctx, "location.table"), resolve(ctx, "location.column")
    if table is MISSING or column is MISSING:
        return None
    wanted = f"{table}.{column}".lower()
    for asset in ctx["declaration"].get("assets", []):
        protection = asset.get("protection", {})
        listed = [*asset.get("columns", []), *(c for v in protection.values() for c in v)]
        if any(c.lower() == wanted or c.lower().endswith("." + wanted) for c in listed):
            return True
    return False


def retention_timestamp(ctx: Ctx) -> Truth:
    """The column is its asset's ``retention.timestamp_column`` (written bare, as
    ``table.column`` or as ``schema.table.column``)."""
    if not _has_declaration(ctx):
        return None
    wanted = resolve(ctx, "asset.retention.timestamp_column")
    column = resolve(ctx, "location.column")
    if not isinstance(wanted, str) or not isinstance(column, str):
        return None
    loc = ctx["location"]
    names = {column, f"{loc.get('table')}.{column}",
             f"{loc.get('schema')}.{loc.get('table')}.{column}"}
    return wanted in names


#: how the user lets PIPL-19-OVER-RETENTION date a table's rows
RETENTION_COLUMN_HINT = ("declare retention.timestamp_column: the column that records when "
                         "each row was collected, such as created_at or 注册时间")


def retention_undated(ctx: Ctx) -> Truth:
    """The table's asset declares a retention period but no column that dates its rows
    (``retention.timestamp_column``): unknown, saying what to declare; false otherwise. The
    period cannot be checked, and PIPL-19 passed such tables in silence (QA estate D2)."""
    if not _has_declaration(ctx):
        return None
    period = resolve(ctx, "asset.retention.period")
    if not isinstance(period, str) or isinstance(
            resolve(ctx, "asset.retention.timestamp_column"), str):
        return False
    note_undecided(ctx, f"asset {resolve(ctx, 'asset.id')} declares retention.period "
                        f"{period} but no column that dates its rows", RETENTION_COLUMN_HINT)
    return None


#: how the user lets PIPL-47-DELETE decide a table that flags deleted rows without a time
DELETION_TIME_HINT = ("record when rows are deleted, in a deleted_at set with the flag, or delete"
                      " or anonymise the flagged rows' personal information")


def deleted_past_grace(ctx: Ctx) -> Truth:
    """Rows the column marks deleted (or their accounts closed) still hold PI, the oldest of
    them deleted longer ago than the grace period (``policy.deletion_grace_days``); unknown
    for a flag that says no time, when flagged rows hold PI."""
    mark = resolve(ctx, "column.soft_delete")
    if not isinstance(mark, dict) or not mark.get("deleted_with_pi"):
        return False
    days = resolve(ctx, "age.deleted_oldest_days")
    grace = resolve(ctx, "policy.deletion_grace_days")
    if mark.get("marker") != "timestamp" or not isinstance(days, int):
        note_undecided(ctx, f"{mark['deleted_with_pi']} of the {mark.get('rows_read')} rows read"
                       " are flagged deleted and still hold PI, but nothing says since when",
                       DELETION_TIME_HINT)
        return None
    return days > grace if isinstance(grace, int) else None


def ciio(ctx: Ctx) -> Truth:
    """The organisation declares itself a critical information infrastructure operator."""
    if not _has_declaration(ctx):
        return None
    return resolve(ctx, "org.ciio") is True


def log_asset(ctx: Ctx) -> Truth:
    """Every PI item of the asset was found in logs and files, so the declaration's
    ``log_policy.max_pi_retention_days`` is its retention period."""
    scopes = resolve(ctx, "asset.scopes")
    if not isinstance(scopes, list) or not scopes:
        return None
    return set(scopes) == {"log"}


def cross_border_declared(ctx: Ctx) -> Truth:
    """A ``cross_border`` entry with a mechanism covers the subject's asset (PIPL 38)."""
    if not _has_declaration(ctx):
        return None
    if "asset" not in ctx:
        return False
    asset_id = ctx["asset"]["id"]
    return any(t.get("asset") == asset_id and t.get("mechanism")
               for t in ctx["declaration"].get("cross_border", []))


def _public_grantee(grant: Any) -> bool:
    """PUBLIC (PostgreSQL's, MariaDB's ``'PUBLIC'@''``), an anonymous MySQL user (``''@h``)
    or a MySQL user from any host (``'app'@'%'``)."""
    if not isinstance(grant, dict):
        return False
    grantee = str(grant.get("grantee", "")).strip()
    if "@" not in grantee:
        return grantee.upper() in ("PUBLIC", "%", "*")
    user, _, host = grantee.rpartition("@")
    user, host = user.strip("'`\""), host.strip("'`\"")
    return user == "" or (user.upper() == "PUBLIC" and host == "") or host == "%"


def public_grant(ctx: Ctx) -> Truth:
    """The table or column is readable by PUBLIC, by anonymous users or by users from any
    host (``'%'``): through a grant on it, or (a table) through a column grant or a grant on
    a view that reaches its PI columns (``pi.grants``)."""
    results: list[Truth] = []
    for kind in ("table", "column"):
        attrs = ctx.get(kind)
        if not isinstance(attrs, dict):
            continue
        if attrs.get("public_read") is True:
            return True
        if "public_read" in attrs:
            results.append(False)
        grants = attrs.get("grants")
        if isinstance(grants, list):
            if any(_public_grantee(g) for g in grants):
                return True
            results.append(False)
    reach = resolve(ctx, "pi.grants")
    if isinstance(reach, list) and any(_public_grantee(g) for g in reach):
        return True
    return False if results else None


#: a word of a bucket name or tag that says logs: log, logs, logging, accesslogs, 日志…
#: (whole words: blog-assets and product-catalog hold no logs)
_LOG_WORD = re.compile(r"(?:access|audit|app|sys|nginx|server|web|api|cdn|elb|alb|oss|cos|"
                       r"flow|trail)?logs?|logging|logstore|cloudtrail")
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")


def log_bucket(ctx: Ctx) -> Truth:
    """The bucket holds logs: a word of its name or of a tag says so (``app-logs``,
    ``accesslogs``, ``purpose=日志``), not a word that merely contains "log"."""
    name = resolve(ctx, "location.bucket")
    tags = resolve(ctx, "bucket.tags")
    if name is MISSING and tags is MISSING:
        return None
    texts = [str(name)] if name is not MISSING else []
    if isinstance(tags, dict):
        texts += [str(part) for item in tags.items() for part in item]
    return any("日志" in text or any(_LOG_WORD.fullmatch(word)
                                     for word in _WORD_SPLIT.split(text.lower()))
               for text in texts)


def bucket_classified(ctx: Ctx) -> Truth:
    """The bucket carries a data classification tag (PIPL 51(二))."""
    tags = resolve(ctx, "bucket.tags")
    if not isinstance(tags, dict):
        return None
    return any(fnmatch.fnmatchcase(str(k).lower(), p) for k in tags for p in _CLASS_TAGS)



def binary_column(ctx: Ctx) -> Truth:
    """The column's type stores raw bytes (BLOB, BYTEA, BINARY, IMAGE)."""
    value = resolve(ctx, "column.data_type")
    if not isinstance(value, str):
        return None
    return any(fnmatch.fnmatchcase(value.lower(), p) for p in _BLOB_TYPES)


def image_file(ctx: Ctx) -> Truth:
    """The item is an image file known by its name (a face photo, an ID-card scan under a
    scanned directory, or a member of an archive there): a picture of the person, not a line
    of a log. An archive's file fact says ``zip``, so a member is known by its own name and by
    having no lines (a text member named ``.png`` is judged by its lines)."""
    if resolve(ctx, "file.format") == "image":
        return True
    member = resolve(ctx, "item.location.member")
    lines = resolve(ctx, "item.location.lines")
    return isinstance(member, str) and image_name(member) and lines in (MISSING, [])


def name_item(ctx: Ctx) -> Truth:
    """The item's values stand in its file's or object's name (``origin: name``:
    ``logs/13800138000.log``), not in its content. A name is stored PI, listed by every
    directory listing and backup, but it is no line a log wrote: a rule about what logs say
    leaves it aside, and a rule about stored PI takes it wherever it stands."""
    item = ctx.get("item")
    if not isinstance(item, dict):
        return None
    return item.get("origin") == NAME_ORIGIN


def data_file(ctx: Ctx) -> Truth:
    """The item's file or object is known to be data, not a log (``is_log`` false): a CSV or
    TSV file (by name or content) whose name does not say log, or any other file with neither
    a log's name (``*.log``, rotated or compressed files in a log directory) nor a timestamp
    on half its lines (a JSON data file). An object is judged as a file is, its bucket being
    its directory: an export in a log bucket is data."""
    return resolve(ctx, "file.is_log") is False or resolve(ctx, "object.is_log") is False


def plaintext_dump(ctx: Ctx) -> Truth:
    """The object is an export file (``*.sql``, ``*.csv``, ``*.xlsx``...), not an
    application-managed blob."""
    key = resolve(ctx, "location.key")
    if not isinstance(key, str):
        return None
    return any(fnmatch.fnmatchcase(key.lower(), p) for p in _DUMP_KEYS)


def audit_overdue(ctx: Ctx) -> Truth:
    """The declared ``last_pi_audit`` is missing or more than two years before the scan."""
    if not _has_declaration(ctx):
        return None
    last = resolve(ctx, "org.last_pi_audit")
    today = ctx.get("today")
    if not isinstance(last, str) or not isinstance(today, date):
        return True
    try:
        return (today - date.fromisoformat(last[:10])).days > 730
    except ValueError:
        return None


def _and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _not(a: Truth) -> Truth:
    return None if a is None else not a


PREDICATES: dict[str, Predicate] = {
    f.__name__: f for f in (
        sensitive, sensitive_type, children_data, protected, plaintext, personal, general_pi,
        enumerable, holds_pi, has_minors,
        declared, category_declared, sensitive_declared, minors_declared, anonymised_declared,
        column_declared, retention_timestamp, retention_undated, deleted_past_grace, ciio,
        region_in_mainland, outside_mainland,
        replicates_outside_mainland, stored_outside_mainland, log_asset,
        cross_border_declared, public_grant, log_bucket,
        bucket_classified, binary_column, image_file, name_item, data_file, plaintext_dump,
        consent_not_separate,
        guardian_consent_missing, pia_declared,
        audit_overdue,
    )
}
