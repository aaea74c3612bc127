"""How a column's values are protected: plaintext, masked, unsalted, salted or keyed digest,
ciphertext.

A column whose values do not look like personal information is not necessarily free of it:
``card_no_enc`` holds card numbers, only encrypted; ``phone_md5`` holds phone numbers behind
an unsalted digest that anyone can reverse by enumerating the 10^10 mobile numbers
(PIPL 73(三) does not count that as de-identified). So the connector asks two questions of
every column: what the name and comment say about it (``metadata.protection_hint``), and what
shape its sampled values have (``value_shape``). Where the same row also holds the plaintext,
an unsalted digest is *proven* by hashing the plaintext and comparing (``digest_algorithms``).

Everything here works on one value at a time and returns labels and counts, never the value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pia.detection.affirmed import CIPHER_NAMES, affirmed_protection, says_plaintext
from pia.detection.metadata import HINT_TO_PROTECTION, protection_hint, tokens

#: digest length in bytes → the unsalted algorithms that produce it
DIGEST_BYTES: dict[int, tuple[str, ...]] = {
    16: ("md5",),
    20: ("sha1",),
    32: ("sha256", "sm3"),
    64: ("sha512",),
}

_HEX = re.compile(r"[0-9a-fA-F]+")
_B64 = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
_STARS = re.compile(r"[*＊]{2,}")
#: salted password hashes (bcrypt, argon2, scrypt, PBKDF2 in modular crypt format)
_SALTED = re.compile(r"^\$(2[abxy]?|argon2(id|i|d)|scrypt|pbkdf2[\w-]*|[56])\$")
_B64_PART = r"[A-Za-z0-9+/]+={0,2}"
#: the password hashes web frameworks write without crypt's leading ``$``, each by its whole
#: shape (algorithm, cost, salt, digest), so no other ``$``-joined string passes: every
#: Django site's ``auth_user.password`` was a plaintext credential (QA F3)
_FRAMEWORK_SALTED = (
    # Django: pbkdf2_sha256$600000$<salt>$<base64 digest> (and the older pbkdf2_sha1)
    re.compile(r"pbkdf2_sha(?:1|256)\$[0-9]{1,9}\$[A-Za-z0-9./]{1,64}\$" + _B64_PART),
    # Django: argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<digest> (a PHC string's body)
    re.compile(r"argon2\$argon2(?:id|i|d)\$(?:v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+"
               r"\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+"),
    # Django: scrypt$<n>$<salt>$<r>$<p>$<base64 digest>
    re.compile(r"scrypt\$[0-9]+\$[A-Za-z0-9./]{1,64}\$[0-9]+\$[0-9]+\$" + _B64_PART),
    # Django: bcrypt_sha256$ / bcrypt$ in front of a bcrypt hash
    re.compile(r"bcrypt(?:_sha256)?\$\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}"),
    # Werkzeug: pbkdf2:sha256:600000$<salt>$<hex digest>, scrypt:32768:8:1$<salt>$<hex>
    re.compile(r"pbkdf2:sha(?:1|224|256|384|512)(?::[0-9]+)?\$[A-Za-z0-9]{1,64}"
               r"\$[0-9a-f]{40,128}"),
    re.compile(r"scrypt:[0-9]+:[0-9]+:[0-9]+\$[A-Za-z0-9]{1,64}\$[0-9a-f]{64,256}"),
)


def salted_hash(value: str) -> bool:
    """Whether a value is a salted password hash: crypt's ``$2b$``, ``$argon2id$``, ``$6$``
    and the like, or a framework's own format (Django, Werkzeug)."""
    return bool(_SALTED.match(value)) or any(
        regex.fullmatch(value) for regex in _FRAMEWORK_SALTED)
#: MIME-wrapped base64 (PostgreSQL's ``encode(.., 'base64')`` breaks lines every 76
#: characters, PEM every 64): full lines of one length, a shorter last line
_WRAPPED = re.compile(r"[A-Za-z0-9+/]{4,}(?:\r?\n[A-Za-z0-9+/]+)+={0,2}")
#: labels that wrap ciphertext: Jasypt ``ENC(..)``, Spring ``{cipher}..``/``{AES}..``,
#: ``AES:..``, ``enc:..``, ``vault:v1:..``; or a digest when they name a hash (``{SHA256}..``)
_TAGGED = (re.compile(r"^(ENC)\((.*)\)$", re.IGNORECASE),
           re.compile(r"^\{([A-Za-z][\w-]{0,15})\}(.*)$"),
           re.compile(r"^((?:[A-Za-z][\w-]{0,15}:){1,3})(.*)$"))
_HASH_LABEL = re.compile(r"md5|sha|sm3", re.IGNORECASE)

#: masked shapes that still tell which identifier they hide
_MASKED_ENTITY = (
    (re.compile(r"^1[3-9][0-9][*＊]{4}[0-9]{4}$"), "CN_MOBILE"),
    (re.compile(r"^(?=.{18}$)[1-9][0-9]{1,5}[*＊]{8,14}[0-9]{0,4}[0-9Xx]$"), "CN_RESIDENT_ID"),
    (re.compile(r"^[0-9]{4,6}[*＊]{6,11}[0-9]{4}$"), "CN_BANK_CARD"),
    (re.compile(r"^[^@\s]{0,3}[*＊]{2,}@[\w.-]+\.\w+$"), "EMAIL_ADDRESS"),
    (re.compile(r"^[\u4e00-\u9fff][*＊]{1,3}$|^[*＊][\u4e00-\u9fff]{1,2}$"), "CN_NAME"),
)

#: ``hashed``: a digest as far as a name or a declaration tells, with no value to say whether
#: a salt or a key went in (an empty ``phone_hash``): protected, and not shown reversible.
#: ``hashed_salted``: a password hash (bcrypt, scrypt, argon2, PBKDF2, crypt's SHA-2): a salt
#: of its own per value and a deliberately slow function, but no secret key
PROTECTIONS = ("plaintext", "masked", "hashed", "hashed_unsalted", "hashed_salted",
               "hashed_keyed", "encrypted")

#: name words that say the digest is an unsalted one (``sfzh_md5``): the words
#: check-migrations reads as PIPL 73(三) reversible
UNSALTED_WORDS = frozenset({"md5", "sha1", "sha256", "sm3"})

#: what a name or declaration may add to digest- or cipher-shaped values, which cannot tell
#: a key from none
_SAYS_HOW = frozenset({"hashed_keyed", "encrypted", "hashed_unsalted"})

#: share of non-null sampled values that must have a protected shape to call the column so
PROTECTED_SHARE = 0.8
MASKED_SHARE = 0.5


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _b64_bytes(value: str) -> bytes | None:
    if len(value) % 4 or not _B64.fullmatch(value):
        return None
    try:
        return base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def _unwrapped(value: str) -> str:
    """``value`` without the line breaks of MIME-wrapped base64, else unchanged."""
    if "\n" not in value or not _WRAPPED.fullmatch(value):
        return value
    lines = value.splitlines()
    if len({len(line) for line in lines[:-1]}) != 1 or len(lines[-1]) > len(lines[0]):
        return value
    return "".join(lines)


#: bytes a value must decode to before it is taken for encoded text
ENCODED_MIN_BYTES = 8
#: what hex of only decimal digits must decode to: the digits of an identifier (random
#: digits pair into printable bytes often enough: 16 of them, one time in sixty)
_DIGITS_TEXT = re.compile(r"[0-9Xx+\- ]+")


def decoded_text(value: str) -> str | None:
    """The text a hex or base64 value encodes, when it encodes printable UTF-8 text.

    Base64 or hex of a resident ID is an encoding anyone reverses, not encryption: such
    values in ``id_card_enc`` or under a 已加密 comment were called encrypted (QA). Random
    bytes (ciphertext, digests) almost never decode to printable UTF-8 text. A label
    (``ENC(..)``, ``AES:..``) changes nothing."""
    value = _unwrapped(value.strip())
    for regex in _TAGGED:
        if (found := regex.match(value)) and found.group(2):
            return decoded_text(found.group(2))
    raw = digest_bytes(value)
    digits_only = value.isdigit()  # then read as hex: digest_bytes tries hex first
    if raw is None or len(raw) < ENCODED_MIN_BYTES:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip() or not all(c.isprintable() or c in "\t\r\n" for c in text):
        return None
    if digits_only and not _DIGITS_TEXT.fullmatch(text):
        return None
    return text


def _tagged_shape(value: str) -> str | None:
    """The shape of a labelled ciphertext or digest (``AES:3f9a..``, ``ENC(..)``), or None."""
    for regex in _TAGGED:
        found = regex.match(value)
        if found:
            inner = value_shape(found.group(2))
            if inner.startswith("digest:") and _HASH_LABEL.search(found.group(1)):
                return inner
            if inner == "cipher" or inner.startswith("digest:"):
                return "cipher"
    return None


def value_shape(value: str) -> str:
    """``plain``, ``masked``, ``masked:<ENTITY>``, ``digest:<bytes>``, ``salted``,
    ``cipher`` or ``encoded`` (hex or base64 of text: ``decoded_text``).

    Base64 may be MIME-wrapped, and ciphertext or digests may carry a label (``AES:``,
    ``ENC(..)``, ``{cipher}``).
    """
    value = _unwrapped(value.strip())
    if "*" in value or "＊" in value:
        for regex, entity in _MASKED_ENTITY:
            if regex.match(value):
                return f"masked:{entity}"
        if _STARS.search(value):
            return "masked"
    if len(value) < 16:
        return "plain"
    if salted_hash(value):
        return "salted"
    if decoded_text(value) is not None:
        return "encoded"
    if _HEX.fullmatch(value):
        size = len(value) // 2
        if len(value) % 2 == 0 and size in DIGEST_BYTES:
            has_letter = any(c.isalpha() for c in value)
            if has_letter:
                return f"digest:{size}"
        if len(value) >= 32 and len(value) % 2 == 0 and any(c.isalpha() for c in value):
            return "cipher"
        return "plain"
    raw = _b64_bytes(value)
    if raw is not None and len(raw) >= 12:
        mixed = (any(c.isupper() for c in value) + any(c.islower() for c in value)
                 + any(c.isdigit() for c in value)) >= 3
        if mixed and _entropy(value) >= 3.5:
            if len(raw) in DIGEST_BYTES and len(value) in (24, 28, 44, 88):
                return f"digest:{len(raw)}"
            return "cipher"
    return _tagged_shape(value) or "plain"


def digest_bytes(value: str) -> bytes | None:
    """The raw bytes of a digest-shaped value (hex or base64, wrapped or not)."""
    value = _unwrapped(value.strip())
    if _HEX.fullmatch(value) and len(value) % 2 == 0:
        return bytes.fromhex(value)
    return _b64_bytes(value)


def _hash(algorithm: str, data: bytes) -> bytes | None:
    try:
        return hashlib.new(algorithm, data).digest()
    except ValueError:  # sm3 absent from this OpenSSL build
        return None


def digest_algorithms(plain: str, digest: bytes) -> str | None:
    """The unsalted algorithm whose digest of ``plain`` (as written, upper- or lower-cased)
    equals ``digest``, or None: proof that a digest column hashes that plaintext."""
    algorithms = DIGEST_BYTES.get(len(digest), ())
    forms = {plain, plain.strip(), plain.upper(), plain.lower()}
    for algorithm in algorithms:
        for form in forms:
            if _hash(algorithm, form.encode("utf-8")) == digest:
                return algorithm
    return None


#: Chinese words in comments and pinyin tokens in names that declare a protected form
_ZH_HINTS = (("加密", "encrypted"), ("密文", "encrypted"), ("脱敏", "masked"),
             ("掩码", "masked"), ("哈希", "hashed"), ("散列", "hashed"), ("杂凑", "hashed"))
#: what says a digest where 摘要 alone does not: 摘要 is first a summary (病历摘要, 出院摘要,
#: 内容摘要 are plaintext medical and document text), a digest only as 消息摘要, 数字摘要,
#: 摘要值 or 摘要算法, or beside a hash algorithm's name (``SHA-256 摘要``, ``SM3``, ``MD5``),
#: which says a digest on its own
HASH_WORDS = re.compile(
    r"消息摘要|数字摘要|摘要值|摘要算法|哈希|散列|杂凑"
    r"|(?<![A-Za-z])(?:md5|sha-?(?:1|224|256|384|512|2|3)(?:-\d+)?|sm3|bcrypt|scrypt|argon2\w*"
    r"|pbkdf2)(?![A-Za-z])", re.I)
#: ciphers named in a comment (``身份证号，国密SM4``, ``手机号 AES-256-GCM``, ``fernet``) and
#: PostgreSQL's pgcrypto encryption (``pgp_sym_encrypt``, ``pgp_pub_encrypt``): the values
#: are ciphertext as a ``_sm4`` or ``_aes`` suffix says
CIPHER_WORDS = re.compile(CIPHER_NAMES + r"|(?<![A-Za-z])pgp_\w*encrypt", re.I)
#: an algorithm that digests without a key or a salt, as a comment names it (``SHA256``,
#: ``SHA-256``, ``MD5``, ``SM3``): the name words ``UNSALTED_WORDS``, a hyphen allowed
#: between letters and digits
_UNSALTED_TEXT = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(re.sub(r"(?<=[a-z])(?=\d)", "-?", w)
                                    for w in sorted(UNSALTED_WORDS)) + r")(?![A-Za-z\d])",
    re.I)
#: what says the digest is not a bare one: a salt, a key, a password hash
_SALT_OR_KEY = re.compile(r"盐|密钥|秘钥|\b(?:salt\w*|key(?:ed)?|pepper)\b|hmac|bcrypt|scrypt|"
                          r"argon2|pbkdf2", re.I)
_PINYIN_HINTS = {"jm": "encrypted", "jiami": "encrypted", "miwen": "encrypted",
                 "tuomin": "masked"}


def hint(name: str, comment: str | None = None) -> str | None:
    """``metadata.protection_hint`` plus Chinese comments (``手机号（AES加密）``), algorithms
    named in a comment (``国密SM4``, ``AES-256-GCM``, ``HMAC-SHA256``, ``SHA256``) and pinyin
    suffixes (``sfzh_jm``): encrypted, hashed, hashed_unsalted (a name or a comment that
    names an unsalted algorithm and no salt or key: ``phone_md5``, ``SHA256``, ``md5 摘要``),
    hashed_keyed, masked, tokenized or None.

    A comment counts only where it says the values ARE protected (``affirmed_protection``:
    未加密, 需要加密 or 明文 say they are not), and so does a Chinese name (身份证号_未加密).
    A comment that says the values are plaintext outranks what the name claims
    (``id_card_enc`` commented 身份证号（明文）), as ``check-migrations`` reads it. A digest
    the name or comment says is a bare one (``says_unsalted``) is ``hashed_unsalted`` for the
    scan as for ``check-migrations``, whatever the values: a column commented ``SHA256`` that
    is empty or unread was ``hashed`` (salt or key unknown) in the scan and PIPL-73 in the
    migration that made it."""
    said = _claimed_by_words(name, comment)
    return "hashed_unsalted" if said == "hashed" and says_unsalted(name, comment) else said


def _claimed_by_words(name: str, comment: str | None) -> str | None:
    """``hint`` before a bare digest's algorithm is told from a salted or keyed one."""
    if says_plaintext(comment):  # 身份证号（明文） outranks an _enc the name claims
        return None
    comment = affirmed_protection(comment)
    lowered = (comment or "").lower()
    if "hmac" in lowered or "pia:hashed_keyed" in lowered:  # before "hashed" matches its prefix
        return "hashed_keyed"
    found = protection_hint(name, comment)
    if found:
        return found
    zh_name = name if name.isascii() else affirmed_protection(name) or ""
    for word, what in _ZH_HINTS:
        if word in (comment or "") or word in zh_name:
            return what
    if CIPHER_WORDS.search(comment or ""):
        return "encrypted"
    if HASH_WORDS.search(comment or "") or not name.isascii() and HASH_WORDS.search(zh_name):
        return "hashed"
    parts = tokens(name)
    return _PINYIN_HINTS.get(parts[-1]) if len(parts) > 1 else None


def says_unsalted(name: str, comment: str | None) -> bool:
    """Does the name (``sfzh_sha256``) or a clause of the comment that affirms protection
    (``身份证号SHA256``, ``手机号（MD5）``) say the digest is an unsalted one, and nothing in the
    comment a salt or a key (``SHA-256 加盐``, ``HMAC-SHA256``)? Such a digest of an
    identifier with a small value space is reversed by enumerating it (PIPL 73(三)):
    ``check-migrations`` reads the name and the comment alike."""
    if UNSALTED_WORDS.intersection(tokens(name)):
        return True
    affirmed = None if says_plaintext(comment) else affirmed_protection(comment)
    return bool(affirmed and _UNSALTED_TEXT.search(affirmed)
                and not _SALT_OR_KEY.search(affirmed))


def claimed(name: str, comment: str | None,
            declared: str | None = None) -> tuple[str, str] | None:
    """(protection, who claims it) of a column whose comment, name or declaration (in that
    order) says its values are protected: ``("encrypted", "comment")`` for ``sfzh`` commented
    身份证号（AES加密）. Read as ``hint`` reads them, so the scan and ``check-migrations`` hear
    the same claim; a comment saying plaintext claims nothing, whatever the name says. The
    scan reports the claim where the sampled values show plaintext: a compliance reader
    must see that the data contradicts it, not only that the column is plaintext (qa-db L2)."""
    if comment and (said := hint("", comment)):
        return HINT_TO_PROTECTION.get(said, said), "comment"
    if not says_plaintext(comment) and (said := hint(name)):
        return HINT_TO_PROTECTION.get(said, said), "name"
    if declared:
        return HINT_TO_PROTECTION.get(declared, declared), "declaration"
    return None


def masked_entity(shapes: Mapping[str, int]) -> str | None:
    """The identifier a masked column most often hides, when its mask shape tells."""
    found = Counter({k.split(":", 1)[1]: n for k, n in shapes.items() if k.startswith("masked:")})
    return found.most_common(1)[0][0] if found else None


@dataclass(frozen=True, slots=True)
class Protection:
    protection: str  # one of PROTECTIONS
    share: float  # share of non-null sampled values with that shape (1.0 when declared)
    evidence: str  # "values", "name", "declared" or "proof:<algorithm>"

    @property
    def protected(self) -> bool:
        return self.protection != "plaintext"


def shares(shapes: Mapping[str, int], nonnull: int) -> dict[str, float]:
    """Shares of non-null values per coarse shape: masked, digest, salted, cipher."""
    coarse: Counter[str] = Counter()
    for shape, n in shapes.items():
        coarse[shape.split(":", 1)[0]] += n
    return {k: n / nonnull for k, n in coarse.items()} if nonnull else {}


def classify(
    shapes: Mapping[str, int],
    nonnull: int,
    hint: str | None = None,
    proofs: Iterable[str] = (),
    declared: str | None = None,
    opaque: bool = False,
    plain: int = 0,
    random_is_data: bool = False,
) -> Protection:
    """Decide a column's protection from value shapes, a name/comment hint, hash proofs and
    a declaration (``encrypted``/``hashed``/``masked`` from pia.yaml).

    Values outrank names: a column named ``id_hash`` full of plaintext IDs is plaintext.
    Digest-shaped values are taken as unsalted (reversible, PIPL 73(三)) unless a name or the
    declaration says a key went in (``mobile_hmac``; ``hashed_columns`` or an encrypted
    column in pia.yaml): the shape cannot tell ``HMAC(key, mobile)`` from ``SHA-256(mobile)``,
    and an auditor that assumed a key would let the common unsalted digest of ID numbers
    pass. A proof (the row's plaintext hashes, unsalted, to the digest) says so outright
    (``proof:sha256``); the organisation that keyed its hashes declares it.
    Without values (an empty table), or when the values are ``opaque`` (none of them holds
    personal information in plain text, and their shape is not one this module knows, like
    ``T000123`` tokens), the hint or the declaration decides, except that a name saying only
    "hash" (``hashed``) needs a digest's shape in the values to be believed: values too short
    for any digest (``phone_hash`` of eight hex digits) are at best a short unsalted one, and
    the column is
    ``hashed_unsalted``. ``plain`` values (of
    ``nonnull``) show personal information in plain text: any at all make the column
    plaintext, however many of the others are masked, hashed or encrypted — a column half
    masked still stores the other half as it is. Where ``random_is_data`` (a biometric
    template is a vector of random-looking bytes, as a digest or a ciphertext is), such
    values prove nothing: the column is protected only as its name or declaration says.
    """
    proofs = sorted(set(proofs))
    if proofs:
        return Protection("hashed_unsalted", 1.0, f"proof:{proofs[0]}")
    if plain and nonnull:
        return Protection("plaintext", round(min(plain, nonnull) / nonnull, 4), "values")
    share = shares(shapes, nonnull)
    declared_state = HINT_TO_PROTECTION.get(declared) if declared else None
    hinted = HINT_TO_PROTECTION.get(hint) if hint else None
    if share.get("masked", 0.0) >= MASKED_SHARE:
        return Protection("masked", round(share["masked"], 4), "values")
    if share.get("encoded", 0.0) >= PROTECTED_SHARE:  # whatever a name or comment says
        return Protection("plaintext", round(share["encoded"], 4), "values")
    digest = share.get("digest", 0.0)
    salted = share.get("salted", 0.0)
    cipher = share.get("cipher", 0.0)
    if digest + salted + cipher >= PROTECTED_SHARE:
        if random_is_data:
            if declared_state:
                return Protection(declared_state, 1.0, "declared")
            if hinted:
                return Protection(hinted, 1.0, "name")
            return Protection("plaintext", round(digest + salted + cipher, 4), "values")
        if salted >= max(digest, cipher):  # salted, not keyed: say which it is
            return Protection("hashed_salted", round(salted, 4), "values")
        if declared_state in _SAYS_HOW or declared_state == "hashed":
            return Protection(declared_state, round(digest + cipher, 4), "declared")
        if hinted in _SAYS_HOW:
            return Protection(hinted, round(digest + cipher, 4), "name")
        if digest >= cipher:
            # HMAC-SHA256 and SHA-256 look alike: no key said or declared, none assumed
            return Protection("hashed_unsalted", round(digest, 4), "values")
        return Protection("encrypted", round(cipher, 4), "values")
    if nonnull == 0 or opaque:
        if declared_state:
            return Protection(declared_state, 1.0, "declared")
        if hinted == "hashed" and nonnull:
            # values none of which has a digest's shape (password_digest of plain0, plain1):
            # a name that says only "hash" does not make them a digest with a salt or a key;
            # at best they are a short unsalted one, at worst the plaintext (PIPL 73(三))
            return Protection("hashed_unsalted", 1.0, "name")
        if hinted:
            return Protection(hinted, 1.0, "name")
    return Protection("plaintext", round(1.0 - digest - salted - cipher, 4), "values")
