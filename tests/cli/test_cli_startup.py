"""Start-up: the CLI and ``check-migrations`` on DDL do not import Presidio.

Importing Presidio (and spaCy under it) takes most of a second. ``pia --help`` and a CI hook
checking a migration without literals must not pay for it; nor for the bundle's
cryptography and numpy (a third of a second more on a slow host), which only the commands
that sign, verify or mask take.
"""

from __future__ import annotations

import subprocess
import sys


def _imports_presidio(code: str) -> bool:
    probe = f"{code}\nimport sys\nprint('presidio_analyzer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def _imported(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of the top-level ``modules`` running ``code`` imported."""
    probe = (f"{code}\nimport sys\n"
             f"print(*sorted({{m.split('.')[0] for m in sys.modules}} & {set(modules)!r}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return out.stdout.split()


def test_importing_the_cli_leaves_presidio_alone() -> None:
    assert not _imports_presidio("import pia.cli")


def test_importing_the_cli_leaves_the_bundle_cryptography_and_numpy_alone() -> None:
    heavy = ("cryptography", "numpy", "presidio_analyzer", "pypinyin")
    assert _imported("import pia.cli", heavy) == []
    # the commands that need them still get them
    assert _imported("import pia.cli.bundle_cmd as b; b.signing_key", heavy) == []
    assert _imported("from pia.cli import bundle_cmd\n"
                     "try:\n    bundle_cmd.signing_key('/nonexistent', None, None)\n"
                     "except Exception:\n    pass", heavy) == ["cryptography", "numpy"]


def test_checking_ddl_leaves_presidio_alone(tmp_path) -> None:
    ddl = tmp_path / "001.sql"
    ddl.write_text("CREATE TABLE users (id int, sfzh varchar(18));\n", encoding="utf-8")
    code = ("from pia.migrations import check_files\n"
            f"check_files([{str(ddl)!r}])")
    assert not _imports_presidio(code)
    # a literal needs the engine, and gets it
    ddl.write_text("INSERT INTO users (sfzh) VALUES ('110101199003074573');\n", encoding="utf-8")
    assert _imports_presidio(code)


PRESS_CTRL_C_WHILE_TYPER_IS_IMPORTED = """
import signal, sys

class PressCtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "typer":
            sys.meta_path.remove(self)
            signal.raise_signal(signal.SIGINT)
        return None

sys.meta_path.insert(0, PressCtrlC())
sys.argv = ["pia", "--version"]
import runpy
runpy.run_module("pia", run_name="__main__")
"""


def test_ctrl_c_while_the_cli_is_imported_is_a_plain_interrupt() -> None:
    """Importing the CLI takes a good part of a second: Ctrl-C then printed a traceback from
    the console script, before ``pia.cli.main`` had its handlers."""
    run = subprocess.run([sys.executable, "-c", PRESS_CTRL_C_WHILE_TYPER_IS_IMPORTED],
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stderr, run.stdout) == (130, "pia: interrupted\n", "")


def test_the_console_script_enters_through_the_guarded_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "pia"]
    assert script.value == "pia.console:main"


def test_a_malformed_uri_is_said_before_the_engine_loads(tmp_path) -> None:
    """A usage error in a URI is the user's to fix at once: it came after the declaration,
    the rulesets and Presidio had loaded (6.5 s on a slow host), now in under one."""
    code = ("import sys\nfrom pia.cli import main\n"
            "try:\n    main(['scan', 'a.log', 'postgresql://u:p@ss@127.0.0.1:5432/qa', '-q'])\n"
            "finally:\n"
            "    print('presidio_analyzer' in sys.modules)")
    (tmp_path / "a.log").write_text("x\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 2
    assert run.stderr.startswith("pia: error: source 'postgresql://***@127.0.0.1:5432/qa'")
    assert run.stdout.split() == ["False"]


SIGTERM_WHILE_TYPER_IS_IMPORTED = PRESS_CTRL_C_WHILE_TYPER_IS_IMPORTED.replace(
    "PressCtrlC", "Terminate").replace("signal.SIGINT", "signal.SIGTERM")

SIGTERM_WHILE_TYPER_PARSES = """
import signal, sys
import pia.cli

parse = pia.cli._PiaGroup.make_context

def make_context(self, *args, **kwargs):
    signal.raise_signal(signal.SIGTERM)
    return parse(self, *args, **kwargs)

pia.cli._PiaGroup.make_context = make_context
sys.argv = ["pia", "--version"]
import runpy
runpy.run_module("pia", run_name="__main__")
"""


def test_a_sigterm_while_the_cli_is_imported_says_so_and_exits_143() -> None:
    """QA: in its first half second pia died of a SIGTERM without a word (exit -15)."""
    run = subprocess.run([sys.executable, "-c", SIGTERM_WHILE_TYPER_IS_IMPORTED],
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stderr, run.stdout) == (143, "pia: terminated\n", "")


def test_a_sigterm_while_typer_parses_exits_143() -> None:
    """QA: typer makes any interrupt while it parses an exit 130, which pia passed on while
    saying "terminated"."""
    run = subprocess.run([sys.executable, "-c", SIGTERM_WHILE_TYPER_PARSES],
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stderr, run.stdout) == (143, "pia: terminated\n", "")
