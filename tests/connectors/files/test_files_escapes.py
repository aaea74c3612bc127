"""A log that writes one person's ID once plain and once as JSON ``\\uXXXX`` escapes (an
``ensure_ascii`` serialiser next to a plain logger) holds one identity, not two: masks and
fingerprints are taken on the decoded value."""

from __future__ import annotations

import json

from pia.detection.checksums import mod11_2_check_char

BASE = "11010519491231002"
ID = BASE + mod11_2_check_char(BASE)


def test_an_escaped_and_a_plain_id_are_one_identity(tmp_path, scan) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    escaped = "".join(f"\\u{ord(c):04x}" for c in ID)
    (logs / "app.log").write_text(
        f'2025-11-02 10:00:00 INFO login {{"sfzh": "{escaped}"}}\n'
        f"2025-11-02 10:00:01 INFO 客户身份证号 {ID} 已核验\n", encoding="utf-8")
    result = scan(logs)
    items = [i for i in result.inventory if i["entity_type"] == "CN_RESIDENT_ID"]
    assert items
    for item in items:
        assert item["evidence"]["samples"] == [ID[:4] + "*" * 10 + ID[-4:]]
    text = json.dumps(result.inventory)
    assert ID not in text and escaped not in text and "\\\\u" not in text
    fingerprints = {f for i in result.inventory if i["entity_type"] == "CN_RESIDENT_ID"
                    for f in i["evidence"].get("fingerprints", [])}
    assert len(fingerprints) == 1
