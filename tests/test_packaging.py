"""The distribution installs every package folder under the `pia` import name."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"pia": "pia", "connectors": "pia.connectors", "reports": "pia.reports",
           "rulesets": "pia.rulesets"}


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *rel.parts]) if rel.parts else name)
    assert found <= listed, sorted(found - listed)
    assert not any(p.split(".")[0] != "pia" for p in listed)


def test_test_modules_have_unique_names() -> None:
    """pytest imports test files by their basename (the test folders are not packages): a
    second ``test_protection.py`` in another folder stops the whole run at collection, as it
    did CI once."""
    tests = Path(__file__).resolve().parent
    names: dict[str, list[str]] = {}
    for path in tests.rglob("*.py"):
        names.setdefault(path.name, []).append(str(path.relative_to(tests)))
    clashes = {n: p for n, p in names.items() if len(p) > 1 and n != "conftest.py"}
    assert clashes == {}


def test_installed_version_is_the_one_pia_reports() -> None:
    """Reports and bundles record ``pia.__version__``; the distribution's metadata (what pip
    and ``pip show pia`` say) must be the same number, so it is read from there at build."""
    from importlib.metadata import version

    import pia

    assert version("pia-audit") == pia.__version__
