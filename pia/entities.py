"""The catalogue of entity types pia knows, and which of them the law treats as sensitive.

One table, so that detection, column classification, rules and reports agree on names and on
what PIPL Art. 28 calls sensitive. Mobile numbers are general PI by default (CONTROLS.md):
a declaration may raise them.

PIPL 28 names six categories and leaves the list open: 敏感个人信息是「一旦泄露或者非法使用，
容易导致自然人的人格尊严受到侵害或者人身、财产安全受到危害的个人信息，包括生物识别、宗教信仰、
特定身份、医疗健康、金融账户、行踪轨迹等信息」. A type in none of the six is sensitive here only
when that definition plainly reaches it (category ``other_sensitive``); any other personal
information is general: 「与已识别或者可识别的自然人有关的各种信息」 (PIPL 4).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    category: str  # PIPL 28 / GB/T 35273 Annex B category, "other_sensitive" or "general"
    sensitive: bool
    label_zh: str
    label_en: str


_TABLE: tuple[EntityType, ...] = (
    EntityType("CN_RESIDENT_ID", "specific_identity", True, "居民身份证号码", "Resident ID number"),
    EntityType("CN_PASSPORT", "specific_identity", True, "护照号码", "Passport number"),
    EntityType("CN_HK_MACAO_PERMIT", "specific_identity", True, "港澳通行证/回乡证号码",
               "Hong Kong/Macao permit number"),
    EntityType("CN_TAIWAN_PERMIT", "specific_identity", True, "台湾通行证/台胞证号码",
               "Taiwan permit number"),
    EntityType("CN_MILITARY_ID", "specific_identity", True, "军官证号码", "Military ID number"),
    EntityType("CN_BANK_CARD", "financial_account", True, "银行卡号", "Bank card number"),
    EntityType("CREDIT_CARD", "financial_account", True, "信用卡号", "Credit card number"),
    EntityType("CREDENTIAL", "financial_account", True, "口令/密码", "Password or credential"),
    # 信贷记录, 征信信息, 交易记录: what a financial account holds and did, not its number;
    # PIPL 28 names 金融账户 and the harm it guards against, 「财产安全受到危害」
    EntityType("FINANCIAL_RECORD", "financial_account", True, "信贷/征信/交易记录",
               "Credit, credit-report or transaction record"),
    EntityType("BIOMETRIC", "biometric", True, "生物识别信息", "Biometric data"),
    EntityType("HEALTH", "medical_health", True, "医疗健康信息", "Health data"),
    # coordinates, trajectories and lodging records (住宿信息): where a person was, PIPL 28's
    # 行踪轨迹
    EntityType("PRECISE_LOCATION", "whereabouts", True, "精准定位/行踪轨迹",
               "Precise location or whereabouts"),
    EntityType("RELIGION", "religion", True, "宗教信仰", "Religious belief"),
    # in none of PIPL 28's six categories, but within its 「等信息」: what, disclosed, 「容易导致
    # 自然人的人格尊严受到侵害」 — a criminal past and a sexual orientation expose a person to
    # stigma and discrimination whoever learns them
    EntityType("CRIMINAL_RECORD", "other_sensitive", True, "违法犯罪记录", "Criminal record"),
    EntityType("SEXUAL_ORIENTATION", "other_sensitive", True, "性取向", "Sexual orientation"),
    EntityType("CN_MOBILE", "general", False, "手机号码", "Mobile number"),
    EntityType("CN_LANDLINE", "general", False, "固定电话", "Landline number"),
    EntityType("CN_NAME", "general", False, "中文姓名", "Chinese name"),
    EntityType("PERSON", "general", False, "姓名", "Person name"),
    EntityType("CN_ADDRESS", "general", False, "住址", "Address"),
    EntityType("EMAIL_ADDRESS", "general", False, "电子邮箱", "Email address"),
    EntityType("IP_ADDRESS", "general", False, "IP 地址", "IP address"),
    EntityType("DATE_OF_BIRTH", "general", False, "出生日期", "Date of birth"),
    EntityType("CN_LICENSE_PLATE", "general", False, "车牌号码", "Licence plate"),
    # no law text in pia's catalogue names marital status, and PIPL 28's harm test does not
    # plainly reach it as it does a criminal past: general PI (PIPL 4), which an organisation
    # that judges otherwise raises in its declaration, as it does mobile numbers
    EntityType("MARITAL_STATUS", "general", False, "婚姻状况", "Marital status"),
    # a phone's IMEI, a network card's MAC address: 「与已识别或者可识别的自然人有关」 (PIPL 4)
    # through the person who carries the device; no law text makes it sensitive
    EntityType("DEVICE_ID", "general", False, "设备标识符（IMEI/MAC）",
               "Device identifier (IMEI, MAC)"),
    EntityType("CN_USCC", "organisation", False, "统一社会信用代码",
               "Unified social credit code (organisation)"),
)

ENTITY_TYPES: dict[str, EntityType] = {e.name: e for e in _TABLE}

SENSITIVE: frozenset[str] = frozenset(e.name for e in _TABLE if e.sensitive)

#: Identifiers whose value space is small enough that an unsalted digest can be reversed by
#: enumeration (PIPL 73(三); GB/T 35273 6.2). An IMEI is a maker's eight-digit type code, six
#: serial digits and a Luhn digit, a MAC a maker's prefix and 24 bits: a million or sixteen
#: million guesses a model or a maker.
ENUMERABLE: frozenset[str] = frozenset(
    {"CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CN_PASSPORT", "CN_LANDLINE", "CREDIT_CARD",
     "DEVICE_ID"}
)

#: Entity types that are not personal information (an organisation's USCC is public).
NOT_PERSONAL: frozenset[str] = frozenset({"CN_USCC"})


def is_sensitive(entity_type: str) -> bool:
    return entity_type in SENSITIVE


def label(entity_type: str, lang: str = "zh") -> str:
    """Human label of an entity type; unknown (user-defined) types are shown by name."""
    entity = ENTITY_TYPES.get(entity_type)
    if entity is None:
        return entity_type
    return entity.label_zh if lang == "zh" else entity.label_en
