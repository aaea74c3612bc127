"""EMAIL_ADDRESS, IP_ADDRESS and CREDIT_CARD under Presidio's entity names, with pia's bounds.

Presidio's own patterns use ``\\b``, which does not separate ASCII from Chinese characters
(``邮箱zs@example.com`` becomes one email), its email validator calls tldextract (a network
fetch on first use), and its IPv6 pattern dominates its run time. These keep Presidio's entity
names and validation ideas (Luhn, ``ipaddress``) with explicit ASCII boundaries.
"""

from __future__ import annotations

import functools
import ipaddress
import pkgutil
import re

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.checksums import luhn_valid
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import IDENTITY_WORDS, TRANSACTION_WORDS, digits_of

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_HEX = "[0-9A-Fa-f]{1,4}"
_IPV4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}", re.ASCII)
#: the first octets of an IPv4 address that names no person's machine (its octets written as
#: ``_IPV4`` reads them, without leading zeros): this network, loopback, multicast, reserved
#: and netmasks (224 and up), and link-local (169.254)
_REFUSED_IPV4 = re.compile(r"(?:0|127|22[4-9]|2[3-4][0-9]|25[0-5]|169\.254)\.")
#: an IPv4 address standing whole: no digit, letter or dot after it
_WHOLE_IPV4 = rf"(?:{_OCTET}\.){{3}}{_OCTET}(?![0-9A-Za-z.])"
#: not after a name and a hyphen (ojdbc6-11.2.0.4.jar, an artifact's version), unless a
#: port follows (a socket address, as a thread or a host is named: Handler-10.1.2.3:20880),
#: or it is a range's second end (the hyphen after a number's dotted part: 1.2.3.4-5.6.7.8)
_NOT_HYPHENATED = (r"(?!(?<=[0-9A-Za-z]-)(?<!\.[0-9]-)(?<!\.[0-9]{2}-)(?<!\.[0-9]{3}-)"
                   rf"(?:{_OCTET}\.){{3}}{_OCTET}(?![0-9])(?!:[0-9]|-{_WHOLE_IPV4}))")
#: not before a hyphen and a digit (a Debian revision: 1.2.5.1-2), unless a whole address
#: follows it (a range)
_NO_RELEASE_AFTER = rf"(?!-(?!{_WHOLE_IPV4})[0-9])"


class EmailRecognizer(PiaPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PRIORITY = 5
    PATTERNS = [
        # not an SSH remote's user@host:path (git@github.com:org/repo.git, deploy@host:~/app)
        Pattern("email", r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
                r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
                r"(?!:[A-Za-z0-9_.~\-]*/)(?![A-Za-z0-9\-])", 0.9),
        # percent-encoded in a query string or a form post: email=zs%40example.com
        Pattern("email, URL-encoded", r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._+\-]{0,63}"
                r"%40(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
                r"(?![A-Za-z0-9\-])", 0.9),
    ]
    CONTEXT = ["邮箱", "电子邮件", "邮件", "email", "e-mail", "mail", "yx", "གློག་འཕྲིན"]
    #: a mail's Message-Id has an address's shape (<200907191328.23816.lasse@tukaani.org>),
    #: as a header and as a field ("messageId":"<...>", read split at its camelCase)
    NEGATIVE_CONTEXT = ["message-id", "message_id", "message id", "messageid", "msgid",
                        "in-reply-to", "references"]

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """``validate_result``'s checks without a call per value for it and the TLD list:
        a web server's log holds an address on most lines."""
        if not self.validates_as(EmailRecognizer):
            return super().candidate_scores(values, pattern_score, maybe_context)
        tlds = top_level_domains()
        return [None if _refused_address(value, tlds) else pattern_score for value in values]

    def validate_result(self, pattern_text: str) -> bool | None:
        return False if _refused_address(pattern_text, top_level_domains()) else None


def _refused_address(value: str, tlds: frozenset[str]) -> bool:
    """Whether an address-shaped ``value`` is none: dots that no address has, or a top-level
    domain that does not exist (``tlds``; none is refused for it when that is empty)."""
    local, _, domain = value.replace("%40", "@").rpartition("@")
    if ".." in local or local.endswith(".") or ".." in domain:
        return True
    # logo@2x.png, banner@3x.webp: image names in every access log, with no real TLD
    return bool(tlds) and domain.rpartition(".")[2].lower() not in tlds


@functools.cache
def top_level_domains() -> frozenset[str]:
    """The top-level domains of the Public Suffix List's ICANN section, from the snapshot
    tldextract ships (a Presidio dependency), read offline. Empty if it cannot be read:
    then no email is refused for its TLD."""
    try:
        raw = pkgutil.get_data("tldextract", ".tld_set_snapshot")
    except (ImportError, OSError):
        return frozenset()
    if raw is None:
        return frozenset()
    icann = raw.decode("utf-8", "replace").split("===END ICANN DOMAINS===")[0]
    return frozenset(line.strip().rpartition(".")[2].lower() for line in icann.splitlines()
                     if line.strip() and not line.startswith("//"))


class IpRecognizer(PiaPatternRecognizer):
    ENTITY = "IP_ADDRESS"
    PRIORITY = 35
    PATTERNS = [
        # not followed by a letter, a digit, or a dot and a digit (1.2.3.4.5 is no address);
        # the character-class guard comes last so Hyperscan can report exact spans
        # nor a product's version (ShopApp/6.3.0.2, ojdbc6-11.2.0.4.jar, 1.2.5.1-2), a
        # standard's clause (第 8.1.4.3 条) or a network (192.168.201.0/24)
        # nor an app's version as its own field (app=8.0.1.100, app: 8.0.1.100)
        # nor a static file's cache-busting version (app.js?v=11.29.6.72); but a socket
        # address a thread or a host is named by (DubboServerHandler-10.1.2.3:20880-thread-9)
        # and the ends of a range (114.16.244.189-172.25.212.134) are addresses
        Pattern("ipv4", r"(?<![0-9A-Za-z.])(?<![A-Za-z]/)" + _NOT_HYPHENATED
                + r"(?<![Aa]pp=)(?<![Aa]pp:)(?<![Aa]pp: )(?<![?&]v=)"
                + rf"(?:{_OCTET}\.){{3}}{_OCTET}"
                + r"(?!\.[0-9])(?! ?[条款章节])" + _NO_RELEASE_AFTER
                + r"(?!/[0-9])(?![0-9A-Za-z])", 0.7),
        Pattern("ipv6 full", r"(?<![0-9A-Za-z:])" + rf"(?:{_HEX}:){{7}}{_HEX}"
                + r"(?!\.[0-9])(?![0-9A-Za-z:])", 0.7),
        Pattern("ipv6 compressed", r"(?<![0-9A-Za-z:])" + rf"(?:{_HEX}(?::{_HEX}){{0,6}})?::"
                rf"(?:{_HEX}(?::{_HEX}){{0,6}})?" + r"(?!\.[0-9])(?![0-9A-Za-z:])", 0.6),
    ]
    CONTEXT = ["ip", "ip地址", "地址", "客户端", "client", "remote", "host", "src", "dst", "登录ip"]
    # version strings, OIDs and clause numbers of standards (GB/T 22239 8.1.4.3) look like IPs
    NEGATIVE_CONTEXT = ["version", "ver", "版本", "oid", "gb/t", "gb", "clause", "section", "条款",
                        "章节", "article", "条文", "控制点", "requirement", "release", "revision",
                        "git", "gcc", "jdk", "kernel",
                        "升级", "固件", "补丁", "upgrade", "firmware", "patch", "sdk"]
    #: these words describe the line (a release note, a standard), not one field
    NEGATIVE_LABELS_ONLY = False

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """An IPv4 address is refused by its first octets alone (``_REFUSED_IPV4``), two
        regex calls per value; anything else is validated one by one."""
        if not self.validates_as(IpRecognizer):
            return super().candidate_scores(values, pattern_score, maybe_context)
        ipv4, refused, one = _IPV4.fullmatch, _REFUSED_IPV4.match, self.candidate_score
        return [(None if refused(value) else pattern_score) if ipv4(value)
                else one(value, pattern_score, context)
                for value, context in zip(values, maybe_context, strict=True)]

    def validate_result(self, pattern_text: str) -> bool | None:
        if _IPV4.fullmatch(pattern_text):  # the common case, without ipaddress's parsing
            return False if _REFUSED_IPV4.match(pattern_text) else None
        try:
            address = ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        # loopback, unspecified, multicast and reserved addresses (and netmasks, which are
        # reserved 255.x) name no person's machine, nor IPv4 link-local ones (169.254.x.x,
        # self-assigned); private ones may (an employee's workstation) and stay
        # (an IPv6 link-local address stays: its interface id may be the device's MAC)
        if (address.is_loopback or address.is_unspecified or address.is_multicast
                or address.is_reserved or (address.version == 6 and len(pattern_text) < 6)):
            return False
        return None


class CreditCardRecognizer(PiaPatternRecognizer):
    ENTITY = "CREDIT_CARD"
    CHECK_DIGIT = False  # Luhn alone passes one number in ten: a share or a label decides
    PRIORITY = 16
    PATTERNS = [
        Pattern("credit card",
                r"(?<![0-9A-Za-z])(?<![0-9]\.)(?:4[0-9]{3}|5[1-5][0-9]{2}|2[2-7][0-9]{2}|6011|65[0-9]{2}|"
                r"35[0-9]{2}|3[47][0-9]{2}|3(?:0[0-5]|[68][0-9])[0-9])"
                r"(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{1,4}(?:[ -]?[0-9]{1,3})?(?![0-9A-Za-z])", 0.6),
    ]
    CONTEXT = ["信用卡", "贷记卡", "credit card", "credit", "visa", "mastercard", "amex"]

    NEGATIVE_CONTEXT = TRANSACTION_WORDS + IDENTITY_WORDS

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        digits = digits_of(value)
        if len(digits) not in _brand_lengths(digits) or len(set(digits)) <= 2:
            return None
        if not luhn_valid(digits):
            return None
        return pattern_score if len(digits) <= 16 else LONG_NUMBER_SCORE


#: 17 to 19 digits are rare card lengths and common ones of business numbers (18-digit
#: bizNo, 19-digit snowflake ids): one in a hundred passes a brand prefix and Luhn by chance,
#: so such a number counts only with a card word near it (this score plus the context boost)
LONG_NUMBER_SCORE = 0.3


def _brand_lengths(digits: str) -> tuple[int, ...]:
    """Lengths the card schemes issue for this prefix (an 18-digit "Mastercard" is not one)."""
    if digits[0] == "4":
        return (13, 16, 19)
    if digits[:2] in {"34", "37"}:
        return (15,)
    if digits[0] in "25":
        return (16,)
    if digits[:4] == "6011" or digits[:2] == "65" or digits[:2] == "35":
        return (16, 17, 18, 19)
    if digits[:2] in {"30", "36", "38"}:
        return (14, 15, 16, 17, 18, 19)
    return ()
