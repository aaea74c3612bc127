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

#: id → "module:Class", in the order they are asked whether they accept a URI
BUILTIN_CONNECTORS: dict[str, str] = {
    "sqlite": "pia.connectors.sqlite:SqliteConnector",
    "postgresql": "pia.connectors.postgres:PostgresConnector",
    "mysql": "pia.connectors.mysql:MysqlConnector",
    "s3": "pia.connectors.s3:S3Connector",
    "files": "pia.connectors.files:FilesConnector",
}
ENTRY_POINT_GROUP = "pia.connectors"


def _load(target: str) -> Connector:
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def registry() -> dict[str, str]:
    targets = dict(BUILTIN_CONNECTORS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in targets:
            raise ConfigError(f"connector {ep.name!r} from {ep.value} is already defined")
        targets[ep.name] = ep.value
    return targets


def connector_for(uri: str) -> Connector:
    """The first connector that accepts ``uri``; a usage error when none does."""
    for target in registry().values():
        try:
            connector = _load(target)
        except ModuleNotFoundError as err:
            if err.name and err.name.startswith("pia.connectors"):
                continue  # a built-in that has not landed yet
            raise
        if connector.accepts(uri):
            return connector
    raise UsageError(f"no connector accepts source {uri!r}")
