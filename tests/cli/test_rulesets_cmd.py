"""`pia rulesets list|show|validate` through the real entry point: exit code, stdout, stderr."""

from __future__ import annotations

import json

import pytest

from pia.cli import main
from pia.rules import BUNDLED, bundled_text, load_ruleset


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_list_json_names_every_bundled_ruleset_with_its_hash(capsys) -> None:
    code, out, err = run(["rulesets", "list", "--format", "json"], capsys)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == list(BUNDLED)
    assert all(r["sha256"] == load_ruleset(r["id"]).sha256 and r["rules"] > 0 for r in rows)


def test_list_text(capsys) -> None:
    code, out, _ = run(["rulesets", "list"], capsys)
    assert code == 0 and all(rid in out for rid in BUNDLED)


def test_show_text_json_and_exact_yaml(capsys) -> None:
    code, out, _ = run(["rulesets", "show", "cn-pipl"], capsys)
    assert code == 0 and "PIPL-28-SENSITIVE-PLAINTEXT" in out
    code, out, _ = run(["rulesets", "show", "cn-csl", "--format", "json"], capsys)
    assert code == 0
    assert [r["id"] for r in json.loads(out)["rules"]] == [
        r.id for r in load_ruleset("cn-csl").rules]
    code, out, _ = run(["rulesets", "show", "cn-gbt35273", "--format", "yaml"], capsys)
    assert (code, out) == (0, bundled_text("cn-gbt35273"))


def test_show_unknown_ruleset_exits_2(capsys) -> None:
    code, out, err = run(["rulesets", "show", "cn-gdpr"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: unknown ruleset 'cn-gdpr'")


CUSTOM = """\
ruleset: acme-internal
version: "1"
title: {zh: 内部规则, en: Internal rules}
rules:
  - id: ACME-1-EMPLOYEE-ID-PLAINTEXT
    title: {zh: 工号明文存储, en: Employee number stored in plaintext}
    severity: medium
    scope: [log, db]
    applies_to: [item]
    references:
      - {law: PIPL, article: "51", clause: (三), quote: 采取相应的加密、去标识化等安全技术措施}
    when: {all: [plaintext, {path: item.entity_type, eq: EMPLOYEE_ID}]}
    remediation: {zh: 对工号做去标识化。, en: Pseudonymise employee numbers.}
"""


def test_validate_reports_ok_or_file_line_reason(tmp_path, capsys) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(CUSTOM, encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(good)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"{good}: ok (acme-internal 1, 1 rule, sha256:")  # not "1 rules"
    bad = tmp_path / "bad.yaml"
    bad.write_text(bundled_text("cn-gbt35273").replace("severity: high", "severity: dire"),
                   encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(bad)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"pia: error: {bad}:24: ") and "'dire'" in err


def test_show_cites_a_renumbered_csl_article_by_both_numbers(capsys) -> None:
    """The README promises both numberings; show printed only the 2026 one (CSL 44)."""
    from pia.rules import citation

    code, out, _ = run(["rulesets", "show", "cn-csl", "--format", "json"], capsys)
    assert code == 0
    refs = [r for rule in json.loads(out)["rules"] for r in rule["references"]
            if r.get("article_2016") == "42"]
    assert refs and {citation(r) for r in refs} == {"CSL 44 (2016: 42)"}
    assert citation({"law": "CSL", "article": "23", "article_2016": "21", "clause": "(三)"}) == (
        "CSL 23(三) (2016: 21)")
    assert citation({"law": "PIPL", "article": "28"}) == "PIPL 28"
    code, out, _ = run(["rulesets", "show", "cn-csl", "--lang", "en"], capsys)
    assert code == 0 and "(2016:" in out  # the table wraps the cell; its text is citation's


@pytest.mark.parametrize("ruleset", BUNDLED)
def test_show_folds_titles_within_80_columns_instead_of_cutting_them(
        ruleset: str, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader of 敏感个人… learnt nothing: every title is there in full, folded, and the
    table fits an 80-column terminal (its right border included)."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["rulesets", "show", ruleset], capsys)
    assert code == 0
    lines = out.splitlines()[1:]
    assert "…" not in out
    assert all(cell_len(line) <= 80 and line[-1] in "┓┃┩│┘" for line in lines), lines[:3]
    cells = "".join(line.split("│")[3] for line in lines if line.startswith("│")
                    and len(line.split("│")) > 3)
    compact = cells.replace(" ", "")
    for rule in load_ruleset(ruleset).rules:
        assert rule["title"]["zh"].replace(" ", "") in compact, rule.id


def test_show_one_rule_in_full_with_its_law_quoted(capsys) -> None:
    """A lawyer reviews one rule whole: observes, remediation and every quote, zh and en."""
    rule = next(r for r in load_ruleset("cn-pipl").rules if r.id == "PIPL-38-XBORDER-MECHANISM")
    code, out, _ = run(["rulesets", "show", "cn-pipl", rule.id, "--lang", "en"], capsys)
    assert code == 0
    for part in ("title", "observes", "remediation"):
        assert rule.data[part]["zh"] in out and rule.data[part]["en"] in out
    assert all(f"「{ref['quote']}」" in out for ref in rule["references"])
    code, out, _ = run(["rulesets", "show", "cn-pipl", rule.id, "-f", "json"], capsys)
    assert code == 0 and json.loads(out) == rule.data


@pytest.mark.parametrize("rule_id,raised", [("PIPL-28-SENSITIVE-PLAINTEXT", True),
                                            ("PIPL-31-MINORS", False)])
def test_show_one_rule_says_whether_minors_data_raises_it(capsys, rule_id: str,
                                                          raised: bool) -> None:
    # QA: a rule shown as high here stood as critical in a report, and nothing said why
    code, out, _ = run(["rulesets", "show", "cn-pipl", rule_id, "--lang", "en"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("未成年人数据 / minors' data"))
    assert ("raised one level" in line) is raised and ("not raised" in line) is not raised


@pytest.mark.parametrize("ruleset,rule_id,raised", [("cn-csl", "CSL-42-PI-IN-LOGS", True),
                                                    ("cn-pipl", "PIPL-28-SENSITIVE-PLAINTEXT",
                                                     False)])
def test_show_one_rule_says_whether_sensitive_pi_raises_it(capsys, ruleset: str, rule_id: str,
                                                           raised: bool) -> None:
    # a resident ID in a log is critical though CSL-42 is high: the rule says why
    code, out, _ = run(["rulesets", "show", ruleset, rule_id, "--lang", "en"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("敏感个人信息 / sensitive PI"))
    assert ("raised one level" in line) is raised and ("not raised" in line) is not raised


def test_show_an_unknown_rule_is_a_usage_error(capsys) -> None:
    code, out, err = run(["rulesets", "show", "cn-pipl", "PIPL-99-NOPE"], capsys)
    assert code == 2 and out == ""
    assert err.strip() == ("pia: error: ruleset cn-pipl has no rule 'PIPL-99-NOPE' "
                           "(pia rulesets show ID lists them)")


@pytest.mark.parametrize(("old", "new", "line", "reason"), [
    # a scan refused both with exit 2, and validate, the author's CI gate, said ok
    ("ruleset: acme-internal", "ruleset: cn-pipl", 1,
     "ruleset id 'cn-pipl' is a bundled ruleset's"),
    ("id: ACME-1-EMPLOYEE-ID-PLAINTEXT", "id: PIPL-28-SENSITIVE-PLAINTEXT", 5,
     "rule id PIPL-28-SENSITIVE-PLAINTEXT is already used by ruleset cn-pipl"),
])
def test_validate_refuses_what_a_scan_with_the_file_refuses(
        old: str, new: str, line: int, reason: str, tmp_path, capsys) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(CUSTOM.replace(old, new), encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"pia: error: {path}:{line}: {reason}"), err
    assert len(err.splitlines()) == 1
    code, _, scan_err = run(["scan", str(tmp_path / "nothing"), "--ruleset", str(path)], capsys)
    assert code == 2 and reason in scan_err


def test_validate_reads_a_file_named_like_a_bundled_id_as_the_file(
        tmp_path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cn-pipl").write_text(CUSTOM, encoding="utf-8")
    code, out, err = run(["rulesets", "validate", "cn-pipl"], capsys)
    assert (code, err) == (0, "") and out.startswith("cn-pipl: ok (acme-internal ")


def test_show_one_rule_leaves_out_an_observes_it_does_not_have(tmp_path, capsys) -> None:
    """observes is optional: a rule without it printed the heading over two blank lines."""
    path = tmp_path / "acme.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    code, out, err = run(["rulesets", "show", str(path), "ACME-1-EMPLOYEE-ID-PLAINTEXT",
                          "--lang", "en"], capsys)
    assert (code, err) == (0, "")
    assert "observes" not in out and "\n\n\n" not in out
    assert "Pseudonymise employee numbers." in out and "「采取相应的加密" in out


def test_scan_help_says_a_file_adds_to_the_bundled_rulesets_and_an_id_narrows(
        capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """'Ruleset id or YAML' left the user to guess that a file keeps cn-csl, cn-pipl and
    cn-gbt35273 while an id drops the others."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(["scan", "--help"], capsys)
    assert code == 0
    assert ("a file is evaluated with the bundled rulesets, an id selects only that bundled "
            "ruleset" in " ".join(out.split()))


@pytest.mark.parametrize(("old", "new", "what"), [
    ("{path: item.entity_type, eq: EMPLOYEE_ID}", "{path: entity_type, eq: EMPLOYEE_ID}",
     "path 'entity_type'"),
    ("{path: item.entity_type, eq: EMPLOYEE_ID}",
     "{path: item.entity_type, eq: {ref: entity.x}}", "reference 'entity.x'"),
])
def test_an_unknown_path_start_is_refused_with_the_names_a_path_may_start_with(
        old: str, new: str, what: str, tmp_path, capsys) -> None:
    """'starts with an unknown name' left the author to guess item, fact, asset… from the
    source, while an unknown field got its known names."""
    from pia.rules.conditions import NAMESPACES

    path = tmp_path / "acme.yaml"
    path.write_text(CUSTOM.replace(old, new), encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.strip() == (f"pia: error: {path}:12: ACME-1-EMPLOYEE-ID-PLAINTEXT: {what} starts "
                           f"with an unknown name (known: {', '.join(sorted(NAMESPACES))})")


def test_the_rule_catalogue_lists_path_names_and_points_at_no_law_folder_users_lack() -> None:
    """docs/rules.md sent readers to ../shared/law/, which neither the repository nor the
    package holds, and said nothing of which names a path may start with."""
    from pia.rules.conditions import NAMESPACES
    from pia.rules.docs import render

    text = render()
    assert "shared/law" not in text
    assert "those of a custom ruleset are not" in " ".join(text.split())
    assert ", ".join(f"`{name}`" for name in sorted(NAMESPACES)) in text


def test_validate_given_a_built_in_id_says_it_checks_files(tmp_path, monkeypatch, capsys):
    """`pia rulesets validate cn-pipl` said `cannot read ruleset cn-pipl: No such file`."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["rulesets", "validate", "cn-pipl"])
    assert done.value.code == 2
    assert capsys.readouterr().err == (
        "pia: error: cn-pipl is a built-in ruleset, not a file: validate checks ruleset files"
        " (see it with `pia rulesets show cn-pipl`)\n")


def test_show_one_rule_says_its_csl_quote_is_the_2016_text(capsys) -> None:
    """A rule's page quotes the CSL under its 2026 number in the 2016 words, and 44 is a number
    the law folder's catalogue marks inferred: the page says both, as the reports do."""
    code, out, _ = run(["rulesets", "show", "cn-csl", "CSL-42-PI-IN-LOGS", "--lang", "en"],
                       capsys)
    line = next(line for line in out.splitlines() if "防止信息泄露" in line)
    assert code == 0 and "quote from the 2016 text" in line and "article number inferred" in line
    code, out, _ = run(["rulesets", "show", "cn-csl", "CSL-42-PI-IN-LOGS"], capsys)
    line = next(line for line in out.splitlines() if "防止信息泄露" in line)
    assert "引文为 2016 年文本" in line and "条号为推定" in line
