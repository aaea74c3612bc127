from __future__ import annotations

import os
import stat

import pytest

from pia.errors import ConfigError
from pia.masking import Fingerprinter, load_fingerprint_key, mask

MASKS = [
    ("CN_RESIDENT_ID", "11010519491231002X", "1101**********002X"),
    ("CN_RESIDENT_ID", "11010519491231002x", "1101**********002X"),
    ("CN_MOBILE", "13812345678", "138****5678"),
    ("CN_MOBILE", "+86 138-1234-5678", "138****5678"),
    ("CN_MOBILE", "008613812345678", "138****5678"),
    ("CN_BANK_CARD", "6222 0212 3456 7890 128", "6222***********0128"),
    ("EMAIL_ADDRESS", "zhangsan@example.com", "z***@example.com"),
    ("EMAIL_ADDRESS", "zhangsan%40example.com", "z***@example.com"),  # in a query string
    ("IP_ADDRESS", "192.168.1.10", "192.168.*.*"),
    ("CN_NAME", "欧阳娜娜", "欧***"),
    ("CN_PASSPORT", "E12345678", "E********"),
    ("CN_LICENSE_PLATE", "粤B12345", "粤B*****"),
    ("HEALTH", "高血压、糖尿病", "*******"),  # not a character of a diagnosis
    # the area code and no digit of the subscriber number but the last two
    ("CN_LANDLINE", "010-62345678", "010******78"),
    ("CN_LANDLINE", "021 62345678", "021******78"),
    ("CN_LANDLINE", "0755-86001234", "0755******34"),
    # a third of an address at most: the region, never the street and number
    ("CN_ADDRESS", "北京幸福路8号", "北京***"),
    ("CN_ADDRESS", "广东省深圳市南山区科技园路1号", "广东省深圳***"),
    ("CN_ADDRESS", "上海市浦东新区世纪大道1号", "上海市浦***"),
    # a secret: no character of it, nor its length
    ("CREDENTIAL", "S3cretPW!", "********"),
    ("CREDENTIAL", "x", "********"),
]


@pytest.mark.parametrize("entity,value,masked", MASKS)
def test_mask(entity: str, value: str, masked: str) -> None:
    assert mask(entity, value) == masked


@pytest.mark.parametrize("entity,value,_masked", MASKS)
def test_mask_never_keeps_the_middle(entity: str, value: str, _masked: str) -> None:
    out = mask(entity, value)
    assert out != value and "*" in out


_WIDE = {**{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}, " ": "\u3000"}
_TIBETAN = {str(d): chr(0x0F20 + d) for d in range(10)}


@pytest.mark.parametrize("entity,value,masked", MASKS)
@pytest.mark.parametrize("table", [_WIDE, _TIBETAN], ids=["full-width", "tibetan"])
def test_other_writings_mask_and_fingerprint_as_the_ascii_value(
        entity: str, value: str, masked: str, table: dict[str, str]) -> None:
    """A value written in full-width or Tibetan digits is the same value: the same mask
    (nothing of it left unmasked) and the same fingerprint."""
    other = value.translate(str.maketrans(table))
    fp = Fingerprinter(b"k" * 32)
    assert mask(entity, other) == masked
    assert fp(entity, other) == fp(entity, value)


@pytest.mark.parametrize("value", ["１９２．１６８．１．２３", "192。168。1。23", "１９２。１６８。１。２３"])
def test_ipv4_in_other_writings_keeps_only_two_octets(value: str) -> None:
    assert mask("IP_ADDRESS", value) == "192.168.*.*"


def test_fingerprints_are_keyed_and_format_independent() -> None:
    fp = Fingerprinter(b"k" * 32)
    other = Fingerprinter(b"j" * 32)
    a = fp("CN_MOBILE", "13812345678")
    assert a == fp("CN_MOBILE", "+86 138-1234-5678")
    assert a != other("CN_MOBILE", "13812345678")
    assert fp("EMAIL_ADDRESS", "zs%40example.com") == fp("EMAIL_ADDRESS", "ZS@example.com")
    assert a != fp("CN_MOBILE", "13812345679")
    assert a.startswith("hmac-sha256:") and "13812345678" not in a
    assert fp.key_id != other.key_id


def test_short_keys_are_refused() -> None:
    with pytest.raises(ConfigError):
        Fingerprinter(b"short")


def test_key_from_environment_and_created_key_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "an organisation key of enough length")
    assert load_fingerprint_key() == b"an organisation key of enough length"
    monkeypatch.delenv("PIA_FINGERPRINT_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    first = load_fingerprint_key()
    assert load_fingerprint_key() == first  # stable across runs
    path = tmp_path / "pia" / "fingerprint.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize(("key", "reason"), [
    ("short", "it has 5"),
    (" " * 16, "it is only whitespace"),
    ("\t  fifteen-bytes!!\n", "it has 15 besides surrounding whitespace"),
])
def test_a_weak_key_is_refused_alike_from_the_variable_and_a_file_naming_where(
        tmp_path, monkeypatch, key: str, reason: str) -> None:
    """Sixteen spaces were accepted from the variable but refused from a file (whose content
    is read stripped), and neither refusal said which key to fix."""
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", key)
    expected = f"the fingerprint key must be at least 16 bytes ({reason})"
    with pytest.raises(ConfigError) as refused:
        load_fingerprint_key()
    assert str(refused.value) == f"PIA_FINGERPRINT_KEY: {expected}"
    monkeypatch.delenv("PIA_FINGERPRINT_KEY")
    key_file = tmp_path / "org.key"
    key_file.write_text(key)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY_FILE", str(key_file))
    with pytest.raises(ConfigError) as refused:
        load_fingerprint_key()
    assert str(refused.value) == f"{key_file}: {expected}"
    with pytest.raises(ConfigError) as refused:
        load_fingerprint_key(key_file)
    assert str(refused.value) == f"{key_file}: {expected}"


def test_an_empty_variable_falls_back_to_the_per_user_key(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "")
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    key = load_fingerprint_key()
    assert key == (tmp_path / "pia" / "fingerprint.key").read_bytes().strip()
    assert len(key) >= 16


def test_missing_explicit_key_file_is_an_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_fingerprint_key(tmp_path / "nope")


def test_mask_text_masks_each_value_found_and_keeps_the_rest() -> None:
    from pia.detection.engine import default_engine
    from pia.masking import mask_text

    text = "联系人 lina.qa77@qq.com 电话 13812345678 [class:L3]"
    found = [(m.entity_type, m.start, m.end) for m in default_engine().analyze(text)]
    assert mask_text(text, found) == "联系人 l***@qq.com 电话 138****5678 [class:L3]"
    # what has an identifier's shape is masked unfound too (QA D1); an email has none
    assert mask_text(text, []) == "联系人 lina.qa77@qq.com 电话 138****5678 [class:L3]"
    assert mask_text("联系人 lina.qa77@qq.com", []) == "联系人 lina.qa77@qq.com"


@pytest.mark.parametrize(("entity", "value"), [
    ("IP_ADDRESS", "srv-zhangsan-01:8080"),  # a user's "host:port" recognizer named IP_ADDRESS
    ("IP_ADDRESS", "10.1.2.3:8080"),
    ("CN_PASSPORT", "ZHANGSANFENG"),
    ("CN_HK_MACAO_PERMIT", "WANGXIAOMING"),
    ("CN_MOBILE", "1381234567"),  # ten digits: 138***4567 kept seven
    ("CN_RESIDENT_ID", "ZS-1101-0519"),
    ("CN_BANK_CARD", "ACCT-ZHANGSAN-77"),
    ("CN_LICENSE_PLATE", "ZHANGSAN1"),
    ("CN_USCC", "zhangsan-company"),
    ("EMAIL_ADDRESS", "zhangsan"),
])
def test_a_value_not_of_its_types_shape_keeps_no_more_than_its_ends(entity: str,
                                                                    value: str) -> None:
    """A custom recognizer may name a built-in entity type for values of another shape; the
    type's own mask kept such values whole or nearly (pia detect's table, report samples)."""
    out = mask(entity, value)
    shown = [c for c in out if c != "*"]
    assert len(shown) <= 2 and out != value, out


def test_a_concurrent_reader_never_sees_a_key_half_written(tmp_path, monkeypatch) -> None:
    """Two pia processes starting on a fresh machine: the second used to read the key file
    the first had created but not yet written ("at least 16 bytes", exit 2). The key's name
    now appears only once the key is whole on disk."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PIA_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    path = tmp_path / "pia" / "fingerprint.key"
    seen = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # the key is written: another process looks now
        seen.append(path.exists())
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    key = load_fingerprint_key()
    assert seen == [False]
    assert path.read_bytes().strip() == key and len(key) >= 16
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["fingerprint.key"]
    # one created meanwhile by another process wins, whole
    path.unlink()

    def link(_src: str, _dst: str) -> None:
        path.write_bytes(b"t" * 64 + b"\n")
        raise FileExistsError

    monkeypatch.setattr(os, "link", link)
    assert load_fingerprint_key() == b"t" * 64
    assert [p.name for p in path.parent.iterdir()] == ["fingerprint.key"]
