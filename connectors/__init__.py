"""Connectors: source URIs in, inventory items, facts and skipped records out.

One explicit registry keyed by a stable id, imported lazily so that scanning a log directory
never imports a database driver. Third parties add connectors through the ``pia.connectors``
entry point group; duplicates fail at load time.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from pia.connectors.base import Connector
from pia.errors import ConfigError, UsageError
from pia.uri import check, redact, scheme, source_kind

#: id → ("module:Class", the kind of source it reads, ``pia.uri.SOURCE_KINDS``), asked in this
#: order. Only the connector of the URI's kind is imported: a log scan never imports boto3.
BUILTIN_CONNECTORS: dict[str, tuple[str, str]] = {
    "sqlite": ("pia.connectors.sqlite:SqliteConnector", "sqlite"),
    "postgresql": ("pia.connectors.postgres:PostgresConnector", "postgres"),
    "mysql": ("pia.connectors.mysql:MysqlConnector", "mysql"),
    "s3": ("pia.connectors.s3:S3Connector", "s3"),
    "files": ("pia.connectors.files:FilesConnector", "file"),
}
ENTRY_POINT_GROUP = "pia.connectors"
#: object stores' own URI schemes: pia reads them over their S3 API (``s3://`` and the
#: endpoint of the bucket's region), as the README says; the refusal says how
S3_COMPATIBLE = {"oss": ("Aliyun OSS", "https://oss-cn-hangzhou.aliyuncs.com"),
                 "cos": ("Tencent COS", "https://cos.ap-guangzhou.myqcloud.com"),
                 "obs": ("Huawei OBS", "https://obs.cn-north-4.myhuaweicloud.com")}


def _load(target: str) -> Connector:
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def registry() -> dict[str, str]:
    """Every connector id → "module:Class", built-ins first, then entry points."""
    targets = {name: target for name, (target, _kind) in BUILTIN_CONNECTORS.items()}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in targets:
            raise ConfigError(f"connector {ep.name!r} from {ep.value} is already defined")
        targets[ep.name] = ep.value
    return targets


def load_connector(name: str) -> Connector:
    """A connector by registry id (workers re-create connectors this way)."""
    targets = registry()
    if name not in targets:
        raise UsageError(f"no connector named {name!r}")
    return _load(targets[name])


def connector_for(uri: str) -> Connector:
    """The first connector that accepts ``uri``; a usage error when none does, or when the URI
    cannot be parsed unambiguously (``check``: checked before any connection is tried)."""
    check(uri)
    uri_scheme, kind = scheme(uri), source_kind(uri)
    for name, target in registry().items():
        if name in BUILTIN_CONNECTORS and BUILTIN_CONNECTORS[name][1] != kind:
            continue
        connector = _load(target)
        if connector.accepts(uri):
            return connector
    shown = redact(uri)
    if uri_scheme in S3_COMPATIBLE:
        store, endpoint = S3_COMPATIBLE[uri_scheme]
        raise UsageError(f"no connector accepts source {shown!r}: {store} is read over its S3 "
                         f"API: scan 's3://{shown.partition('://')[2]}' with --endpoint-url "
                         f"set to the endpoint of the bucket's region (e.g. {endpoint})")
    raise UsageError(f"no connector accepts source {shown!r}")
