"""`pia rulesets list|show|validate`: what the rules are, and whether a custom file is sound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Column, Table

from pia.cli.options import ReaderMayLeave, plain_format
from pia.printable import printable

if TYPE_CHECKING:
    from pia.rules import Ruleset

app = typer.Typer(help="List, show and validate rulesets.", no_args_is_help=True)

FORMAT_OPTION = typer.Option("text", "--format", "-f", metavar="FORMAT",
                             help="text (or table) or json.")
SHOW_FORMAT_OPTION = typer.Option("text", "--format", "-f",
                                  metavar="FORMAT",
                                  help="text (or table), json, or yaml (the exact text).")
RULESET_ARGUMENT = typer.Argument(..., metavar="ID|PATH")
RULE_ARGUMENT = typer.Argument(None, metavar="[RULE_ID]",
                               help="One rule, in full: what it observes, the law it cites "
                                    "(quoted) and the remediation, in Chinese and English.")
FILES_ARGUMENT = typer.Argument(..., metavar="FILE...")


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    from pia.errors import UsageError

    if fmt not in allowed:
        raise UsageError(f"--format must be one of {', '.join(allowed)}, not {fmt!r}")


@app.command("list", help="List the bundled rulesets (all are evaluated by default).")
def list_(fmt: str = FORMAT_OPTION) -> None:
    from pia.rules import load_rulesets

    fmt = plain_format(fmt, ("text", "json"))
    _check_format(fmt, ("text", "json"))
    rulesets = load_rulesets()
    if fmt == "json":
        rows = [{**r.reference(), "rules": len(r.rules), "title": r.title} for r in rulesets]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(Column("id", no_wrap=True), "version", "rules", "sha256", "title")
    for r in rulesets:
        table.add_row(r.id, str(r.version), str(len(r.rules)), r.sha256[:12],
                      f"{r.title['zh']} / {r.title['en']}")
    ReaderMayLeave(soft_wrap=False).print(table)


@app.command("show", help="Show a ruleset's rules (a bundled id or a YAML file), or one rule.")
def show(ruleset: str = RULESET_ARGUMENT, rule_id: str | None = RULE_ARGUMENT,
         fmt: str = SHOW_FORMAT_OPTION) -> None:
    from pia.rules import citation, load_ruleset

    fmt = plain_format(fmt, ("text", "json", "yaml"))
    _check_format(fmt, ("text", "json", "yaml"))
    loaded = load_ruleset(ruleset)
    if rule_id is not None:
        _show_rule(loaded, rule_id, fmt)
        return
    if fmt == "yaml":
        typer.echo(loaded.text, nl=False)
        return
    if fmt == "json":
        data = {**loaded.reference(), "rules": [rule.data for rule in loaded.rules]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{loaded.id} {loaded.version}  sha256:{loaded.sha256}")
    # the title takes the room, folded rather than cut: 敏感个人… told a reader nothing
    # (a scope under its severity leaves the room to them on an 80-column terminal)
    table = Table(Column("id", no_wrap=True),
                  Column("severity / scope", max_width=12, overflow="fold"),
                  Column("title", ratio=3, min_width=14, overflow="fold"),
                  Column("law", ratio=2, min_width=10, overflow="fold"))
    for rule in loaded.rules:
        refs = "; ".join(citation(r) for r in rule["references"])
        table.add_row(rule.id, f"{rule.severity}\n{', '.join(rule['scope'])}",
                      f"{rule['title']['zh']}\n{rule['title']['en']}", refs)
    ReaderMayLeave(soft_wrap=False).print(table)


def _show_rule(loaded: Ruleset, rule_id: str, fmt: str) -> None:
    """One rule whole, as a lawyer reviews it: the legal basis quoted, not a column cut short."""
    import yaml

    from pia.errors import UsageError
    from pia.rules import citation

    rule = next((r for r in loaded.rules if r.id == rule_id), None)
    if rule is None:
        raise UsageError(f"ruleset {loaded.id} has no rule {printable(rule_id, 80)!r} "
                         "(pia rulesets show ID lists them)")
    if fmt == "json":
        typer.echo(json.dumps(rule.data, ensure_ascii=False, indent=2))
        return
    if fmt == "yaml":
        typer.echo(yaml.safe_dump(rule.data, allow_unicode=True, sort_keys=False), nl=False)
        return
    raised = ("上调一级 / raised one level to at most critical" if rule.get("escalate_minors", True)
              else "不上调 / not raised")
    lines = [f"{rule.id}  {rule.severity}  ({', '.join(rule['scope'])})",
             f"未成年人数据 / minors' data: {raised}", ""]
    for label, key in (("标题 / title", "title"), ("观察 / observes", "observes"),
                       ("整改 / remediation", "remediation")):
        text = rule.data.get(key)
        if text:  # observes is optional: no heading over nothing
            lines += [f"{label}:", f"  {text.get('zh', '')}", f"  {text.get('en', '')}", ""]
    lines.append("法律依据 / law:")
    lines += [f"  {citation(ref)}: 「{ref.get('quote', '')}」" for ref in rule["references"]]
    typer.echo("\n".join(printable(line) for line in lines))


@app.command("validate", help="Validate ruleset files as pia scan --ruleset FILE loads each "
             "(with the bundled rulesets); errors name file, line and reason.")
def validate(files: list[Path] = FILES_ARGUMENT) -> None:
    from pia.errors import RulesetError
    from pia.rules import BUNDLED, load_ruleset_file, load_rulesets

    for path in files:
        if str(path) in BUNDLED and not path.exists():  # an id, as --ruleset takes
            raise RulesetError(f"{path} is a built-in ruleset, not a file: validate checks "
                               f"ruleset files (see it with `pia rulesets show {path}`)")
        loaded = load_ruleset_file(path)
        # the checks a scan makes against the bundled rulesets (their ids, their rule ids):
        # ./ so that a file named like a bundled id is read as the file
        load_rulesets([f"./{path}" if str(path) in BUNDLED else str(path)])
        count = len(loaded.rules)
        typer.echo(f"{path}: ok ({loaded.id} {loaded.version}, {count} "
                   f"rule{'' if count == 1 else 's'}, "
                   f"sha256:{loaded.sha256})")
