"""`pia rulesets list|show|validate`: what the rules are, and whether a custom file is sound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Column, Table

from pia.cli.options import ReaderMayLeave, canonical_format
from pia.cli.words import LANG_OPTION, command_lang, say
from pia.printable import masked_line, printable

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
def list_(fmt: str = FORMAT_OPTION, lang: str | None = LANG_OPTION) -> None:
    from pia.rules import load_rulesets

    fmt = canonical_format(fmt, ("text", "json"))
    _check_format(fmt, ("text", "json"))
    lang = command_lang(lang)
    rulesets = load_rulesets()
    if fmt == "json":
        rows = [{**r.reference(), "rules": len(r.rules), "title": r.title} for r in rulesets]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    # the title wraps, never cut: GB/T 35273—2020《信息安全技 … lost a character (QA)
    table = Table(Column(say("list:id", lang), no_wrap=True), say("list:version", lang),
                  say("list:rules", lang), "sha256",
                  Column(say("list:title", lang), overflow="fold"))
    for r in rulesets:
        table.add_row(r.id, str(r.version), str(len(r.rules)), r.sha256[:12], _title(r.title, lang))
    ReaderMayLeave(soft_wrap=False).print(table)


def _title(title: dict[str, str], lang: str) -> str:
    """A title in Chinese under ``--lang zh``; both, as always, otherwise."""
    return title["zh"] if lang == "zh" else f"{title['zh']} / {title['en']}"


def _citations(refs: list[dict], lang: str) -> str:
    """The articles a rule cites: as the Chinese reports cite them (《个人信息保护法》第五十一条第
    （三）项, ``pia.reports.references.article_labels``) in Chinese; ``PIPL 51(三)`` otherwise."""
    from pia.rules import citation

    if lang != "zh":
        return "; ".join(citation(r) for r in refs)
    from pia.reports.references import article_labels

    return "；".join(article_labels(refs, lang))


def _notes(ref: dict, lang: str) -> str:
    """What a reader must know of a quote (the CSL's 2016 words, a number inferred), in
    brackets after its article, as the reports say it (``reference_notes``)."""
    from pia.reports.i18n import t
    from pia.reports.references import reference_notes

    notes = reference_notes(ref, lang)
    return t("paren_fmt", lang).format(text="", inner=notes) if notes else ""


@app.command("show", help="Show a ruleset's rules (a bundled id or a YAML file), or one rule.")
def show(ruleset: str = RULESET_ARGUMENT, rule_id: str | None = RULE_ARGUMENT,
         fmt: str = SHOW_FORMAT_OPTION, lang: str | None = LANG_OPTION) -> None:
    from pia.rules import load_ruleset

    fmt = canonical_format(fmt, ("text", "json", "yaml"))
    _check_format(fmt, ("text", "json", "yaml"))
    lang = command_lang(lang)
    loaded = load_ruleset(ruleset)
    if rule_id is not None:
        _show_rule(loaded, rule_id, fmt, lang)
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
    table = Table(Column(say("show:id", lang), no_wrap=True),
                  Column(say("show:severity", lang), max_width=12, overflow="fold"),
                  Column(say("show:title", lang), ratio=3, min_width=14, overflow="fold"),
                  Column(say("show:law", lang), ratio=2, min_width=10, overflow="fold"))
    for rule in loaded.rules:
        table.add_row(rule.id, f"{_severity(rule.severity, lang)}\n{', '.join(rule['scope'])}",
                      rule["title"]["zh"] if lang == "zh"
                      else f"{rule['title']['zh']}\n{rule['title']['en']}",
                      _citations(rule["references"], lang))
    ReaderMayLeave(soft_wrap=False).print(table)


def _severity(severity: str, lang: str) -> str:
    from pia.reports.i18n import severity_label

    return severity_label(severity, lang) if lang == "zh" else severity


def _show_rule(loaded: Ruleset, rule_id: str, fmt: str, lang: str) -> None:
    """One rule whole, as a lawyer reviews it: the legal basis quoted, not a column cut short.
    In Chinese, Chinese alone; otherwise both languages, as always."""
    import yaml

    from pia.errors import UsageError

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
    raised = say("rule:raised" if rule.get("escalate_minors", True) else "rule:not_raised", lang)
    # the other half of CONTROLS.md's "rises one level for sensitive PI or minors' data"
    sensitive = say("rule:raised" if rule.get("escalate_sensitive", False) else "rule:not_raised",
                    lang)
    scope = ", ".join(rule["scope"])
    colon = say("rule:colon", lang)
    lines = [f"{rule.id}  {_severity(rule.severity, lang)}  "
             + (f"（{scope}）" if lang == "zh" else f"({scope})"),
             say("rule:minors", lang, raised=raised),
             say("rule:sensitive", lang, raised=sensitive), ""]
    for key in ("title", "observes", "remediation"):
        text = rule.data.get(key)
        if text:  # observes is optional: no heading over nothing
            said = [text.get("zh", "")] if lang == "zh" else [text.get("zh", ""),
                                                               text.get("en", "")]
            lines += [f"{say(f'rule:{key}', lang)}{colon}", *(f"  {s}" for s in said), ""]
    lines.append(f"{say('rule:law', lang)}{colon}")
    lines += [f"  {_citations([ref], lang)}{_notes(ref, lang)}{colon if lang == 'zh' else ': '}"
              f"「{ref.get('quote', '')}」" for ref in rule["references"]]
    typer.echo("\n".join(printable(line) for line in lines))


@app.command("validate", help="Validate ruleset files as pia scan --ruleset FILE loads each "
             "(with the bundled rulesets); errors name file, line and reason. A reference "
             "to an article the law does not have is warned of.")
def validate(files: list[Path] = FILES_ARGUMENT) -> None:
    from pia.errors import RulesetError
    from pia.rules import BUNDLED, load_ruleset_file, load_rulesets
    from pia.rules.statutes import ruleset_warnings

    for path in files:
        if str(path) in BUNDLED and not path.exists():  # an id, as --ruleset takes
            raise RulesetError(f"{path} is a built-in ruleset, not a file: validate checks "
                               f"ruleset files (see it with `pia rulesets show {path}`)")
        loaded = load_ruleset_file(path)
        # the checks a scan makes against the bundled rulesets (their ids, their rule ids):
        # ./ so that a file named like a bundled id is read as the file
        load_rulesets([f"./{path}" if str(path) in BUNDLED else str(path)])
        # warned, not refused: pia checks no custom quote against the law (the reports say
        # so), but an article past the law's last one is surely wrong
        for warning in ruleset_warnings(loaded):
            typer.echo(f"pia: warning: {masked_line(warning)}", err=True)
        count = len(loaded.rules)
        typer.echo(f"{path}: ok ({loaded.id} {loaded.version}, {count} "
                   f"rule{'' if count == 1 else 's'}, "
                   f"sha256:{loaded.sha256})")
