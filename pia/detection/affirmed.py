"""Does a comment say a column IS protected, or only mention protection?

A comment protects a column only when it states that the values are protected: ``已加密``,
``密文``, ``AES 加密``, ``SM4 加密存储``, ``[pia:encrypted]``. A comment that says they are not
(``未加密``, ``无需脱敏``), or that protection is wanted, needed, planned or pending
(``需要加密``, ``应加密``, ``拟加密``, ``将加密``, ``计划于2027年加密``, ``后续版本加密``,
``待上线后加密``, ``TODO: 加密``, ``should be [pia:masked]``, ``to be [pia:encrypted]``,
``[pia:encrypted] later``), describes work not done: the values are stored as they are.

The rule: a comment is read clause by clause (``，,;；。!！`` and a sentence's full stop end
one); a clause that names a protection and holds any word of negation, need, intent, plan,
time to come, exemption, failure, withdrawal, a question mark or a TODO, before or after
that protection, says nothing about protection. Words that hold such a character but state
a property (``非对称加密``, ``不可逆哈希``, ``应用层加密``, ``重要``, ``NOT NULL``) do not void
it. Encryption said of transport only (``前端加密传输``, ``传输加密(HTTPS)``, ``TLS``, ``in
transit``) protects nothing stored, unless the clause says storage too (``加密存储``).
A comment that says the value is plaintext (``明文``, ``plaintext``, ``unencrypted``, the
raw value ``原始值``) anywhere protects nothing at all, nor does a protective name beside
it (``says_plaintext``), unless it says plaintext is not, or no longer, kept (``不再明文``,
``禁止明文落盘``, ``原明文数据已迁移``): those phrases are read as absent.

Pure text functions, read by ``pia check-migrations`` (a migration's comments) and by the
scan (a database column's comment, ``protection.hint``): both apply the same rule.
"""

from __future__ import annotations

import re

#: the names of ciphers that say a comment's column is encrypted (``国密SM4``,
#: ``AES-256-GCM``, ``fernet``; ``pgp_sym_encrypt`` is read as ``encrypt``): the ciphers the
#: name suffixes of the vocabulary say (``_aes``, ``_sm4``) and Fernet, never inside a word
#: (``caesar``)
CIPHER_NAMES = r"(?<![A-Za-z])(?:aes|sm4|fernet)(?![A-Za-z])"
#: words that name a protection: Chinese, ``pia:`` markers, English (which name a
#: protection in a marker's clause: ``not [pia:encrypted] yet``) and algorithms (未使用SM4)
PROTECTION_WORD = (r"(?:加密|密文|脱敏|哈希|散列|杂凑|摘要|掩码|\[?pia:\w+\]?|hmac|encrypt\w*|"
                   r"cipher\w*|hash\w*|mask\w*|tokeni[sz]\w*|md5|sha-?\d\w*|sm3|bcrypt|scrypt|"
                   r"argon2\w*|pbkdf2|" + CIPHER_NAMES + ")")
_PROTECTION = re.compile(PROTECTION_WORD, re.I)
#: a comment that says the column is stored as written: no word in it is protection. The
#: raw or original value (原始值; ``身份证号；原始值，加密列见 c12``) is the plaintext too,
#: unless the same clause says what protects it (原始值加密存储, hash of the raw value)
PLAINTEXT = re.compile(
    r"明文|plain\s*-?text|clear\s*-?text|unencrypted|unmasked|unhashed"
    r"|(?:原始值|原值|原文|\braw\s+value|\boriginal\s+value)"
    r"(?![^，,;；。!！\n]{0,8}?(?:加密|密文|哈希|散列|摘要|脱敏|掩码|encrypt|hash|mask))", re.I)
#: plaintext said not to be kept, or no longer (不再明文, 不落明文, 禁止明文落盘, 原明文数据已迁移,
#: never stored as plaintext): no statement that the column is plaintext
_NEGATED_PLAINTEXT = re.compile(
    r"(?:不再|不落|不存|不保存|不保留|不可|不得|不要|不能|不会|不允许|禁止|严禁|杜绝|避免|无|非|原|之前|以前|曾|"
    r"\bnever\b|\bno\b|\bnot\b|\bwithout\b|\bformerly\b|\bpreviously\b)"
    r"[^，,;；。!！\n]{0,16}?(?:明文|plain\s*-?text|clear\s*-?text|原始值|原值|原文)", re.I)
#: where a clause ends: a protection and a word that voids it are read within one clause. A
#: question mark does not end one: a protection asked about (``[pia:encrypted]? no``) is void
_CLAUSE = re.compile(r"[，,;；。!！\n]|\.(?:\s|$)")
#: words that hold a voiding character but state a property of the protection or column
_PROPERTY = re.compile(
    r"非对称|不对称|不可逆|不能逆|无法逆|不可还原|无法还原|不能还原|不可解密|无法解密|不能解密|"
    r"不可恢复|无法恢复|不能恢复|非空|不为空|不能为空|不可为空|不允许为?空|重要|主要|"
    r"\bnot\s+null\b|\bnon-?reversible\b|\birreversibl\w*|\bcannot\s+be\s+(?:decrypted|reversed)\b",
    re.I)
#: words that, anywhere in a protection's clause, void it: negation, need, intent, plan, time
#: to come, TODO, failure, withdrawal, a question. 应 not in 应用 (应用层加密 is done). Searched
#: with each protection word replaced by NUL: ``\x00前`` is 加密前, the value before it
_VOID_ANYWHERE = re.compile(
    r"未|不|无|非|没|勿|否|免|禁止|取消|关闭|停用|移除|去掉|需|须|要|应(?!用)|拟|将|待|计划|规划|"
    r"失败|失效|废弃|弃用|下线|\x00之?前|之前|[?？]|"
    r"打算|准备|预计|预期|考虑|建议|希望|期望|后续|以后|今后|将来|未来|稍后|后期|下个?版本|"
    r"下一?版|下期|二期|三期|上线后|暂|尚|还没|还未|"
    r"\b(?:not|never|without|todo|fixme|xxx|tbd|later|pending|planned|plans?|planning|will|"
    r"shall|should|must|needs?|needed|require[ds]?|want(?:s|ed)?|would|could|may|might|future|"
    r"soon|eventually|yet|once|until|intend\w*|going|someday|upcoming|missing|disabled|"
    r"false|off|wip|fail\w*|deprecated|before|after|formerly)\b",
    re.I)
#: words that void a protection only right before it: 会加密, 可加密, no encryption,
#: to be encrypted, can be hashed
_VOID_BEFORE = re.compile(
    r"(?:会|可以?|再)\s*(?:被|进行|做)?\s*$"
    r"|\b(?:no|to|can|be)\s*$", re.I)


#: encryption on the wire, not in the table (前端加密传输, 传输加密(HTTPS), TLS, in transit):
#: the values are stored as they arrive, unless the clause says they are stored so too
_TRANSPORT = re.compile(r"传输|通道|链路|\b(?:https|tls|ssl|transit|transport|wire)\b", re.I)
_AT_REST = re.compile(r"存储|落盘|落库|入库|保存|\b(?:stored?|at\s+rest|storage)\b", re.I)


def _voided(clause: str) -> bool:
    """Does this clause, which names a protection, negate it or put it off, or speak only
    of transport?"""
    if _TRANSPORT.search(clause) and not _AT_REST.search(clause):
        return True
    bare = _PROPERTY.sub(" ", clause)
    words = list(_PROTECTION.finditer(bare))
    if _VOID_ANYWHERE.search(_PROTECTION.sub("\x00", bare)):
        return True
    return any(_VOID_BEFORE.search(bare[:m.start()].rstrip()) for m in words)


def says_plaintext(comment: str | None) -> bool:
    """Does the comment say the values are stored as written (明文, plaintext, 原始值)? Such
    a comment outranks a protective name: ``id_card_enc COMMENT '身份证号（明文）'`` is
    plaintext, as the scan of its values finds; the suffix is the claim the comment
    contradicts."""
    return bool(comment) and bool(PLAINTEXT.search(_NEGATED_PLAINTEXT.sub(" ", comment)))


def affirmed_protection(comment: str | None) -> str | None:
    """The clauses of a comment that may say the column is protected: None when the comment
    says the value is plaintext (身份证号（明文，后续版本加密）); without the clauses that
    negate, want, plan or defer protection (身份证号，无需脱敏; 需要加密; TODO 加密;
    not [pia:encrypted] yet), which are replaced by a clause break."""
    if not comment:
        return None
    comment = _NEGATED_PLAINTEXT.sub(" ", comment)
    if PLAINTEXT.search(comment):
        return None
    kept = []
    start = 0
    for end in [*(m.start() for m in _CLAUSE.finditer(comment)), len(comment)]:
        clause = comment[start:end]
        if not (_PROTECTION.search(clause) and _voided(clause)):
            kept.append(clause)
        start = end
    return "；".join(c.strip("，,;；。!！?？.\n ") for c in kept if c.strip())
