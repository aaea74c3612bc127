from __future__ import annotations

import pytest

from pia.detection.metadata import classify_column, classify_name, protection_hint

COLUMNS = [
    # (name, comment, expected entity or None)
    ("sfzh", None, "CN_RESIDENT_ID"),
    ("sfzjhm", None, "CN_RESIDENT_ID"),  # 身份证件号码 (QA: unread; fails without)
    ("sfzjh", None, "CN_RESIDENT_ID"),
    ("lxdh", None, "CN_MOBILE"),
    ("xm", None, "CN_NAME"),
    ("jtzz", None, "CN_ADDRESS"),
    ("yhkh", None, "CN_BANK_CARD"),
    ("shenfenzheng", None, "CN_RESIDENT_ID"),
    ("shen_fen_zheng_hao", None, "CN_RESIDENT_ID"),
    ("身份证号码", None, "CN_RESIDENT_ID"),
    ("id_card", None, "CN_RESIDENT_ID"),
    ("idCardNo", None, "CN_RESIDENT_ID"),
    ("mobile", None, "CN_MOBILE"),
    ("customer_name", None, "CN_NAME"),
    ("车主", None, "CN_NAME"),  # a vehicle register's owner column, a CSV header
    ("法定代表人", None, "CN_NAME"),
    ("face_img", None, "BIOMETRIC"),
    ("diagnosis", None, "HEALTH"),
    ("latitude", None, "PRECISE_LOCATION"),
    ("csrq", None, "DATE_OF_BIRTH"),
    ("birth_dt", None, "DATE_OF_BIRTH"),
    ("c1", "客户身份证号", "CN_RESIDENT_ID"),
    ("col_7", "contact phone of the buyer", "CN_MOBILE"),
    ("card_no_enc", None, "CN_BANK_CARD"),
    ("driver_license_no", None, "CN_RESIDENT_ID"),
    ("social_security_no", None, "CN_RESIDENT_ID"),
    ("license_plate", None, "CN_LICENSE_PLATE"),
    ("blood_type", None, "HEALTH"),
    ("store_location", None, None),
    # an ID card's number, not a "card number"; a credit card's number, not a bank card's
    ("id_card_number", None, "CN_RESIDENT_ID"),
    ("IDCardNumber", None, "CN_RESIDENT_ID"),
    ("resident_id_card_number", None, "CN_RESIDENT_ID"),
    ("credit_card_number", None, "CREDIT_CARD"),
    ("bank_card_number", None, "CN_BANK_CARD"),
    # names of an attribute of the PI, not the PI: its state, type, last digits, key, device
    ("id_card_status", None, None),
    ("id_card_type", None, None),
    ("id_card_verified", None, None),
    ("id_card_verified_flag", None, None),
    ("bank_card_last4", None, None),
    ("idCardLast4", None, None),
    ("id_card_enc_key_id", None, None),
    ("mobile_app_version", None, None),
    ("phone_model", None, None),
    ("mobile_country_code", None, None),
    # who issued the document or the card, what carries or runs the phone (QA: each was
    # taken for the number; fail without)
    ("id_card_issuer", None, None),
    ("bank_card_issuer", None, None),
    ("sfzjfjg", "身份证签发机关", None),
    ("khh", "银行卡开户行", None),
    ("mobile_os", "手机操作系统", None),
    ("mobile_carrier", None, None),
    ("phone_isp", None, None),
    ("mobile_operator", None, None),
    ("mobile_platform", None, None),
    ("mobile_ua", None, None),
    ("sj_yys", "手机运营商", None),
    ("身份证类型", None, None),
    ("手机型号", None, None),
    ("c2", "手机号归属地", None),
    ("c3", "手机号，用户填写", "CN_MOBILE"),
    ("id_card_front_url", None, "CN_RESIDENT_ID"),  # the card's image is the card
    ("fingerprint_template", None, "BIOMETRIC"),  # a template is still biometric data
    ("mobile_no", None, "CN_MOBILE"),
    ("iris_code", None, "BIOMETRIC"),  # an iris code is the iris template
    ("face_feature_vector", None, "BIOMETRIC"),
    # a foreign key, a template, a position or a length is about the PI, not the PI
    ("address_id", None, None),
    ("mobile_ids", None, None),
    ("email_template", None, None),
    ("mobile_seq", None, None),
    ("address_idx", None, None),
    ("phone_ts", None, None),
    ("mobile_code", None, None),  # a verification code sent to it
    ("passport_id", None, "CN_PASSPORT"),  # a passport's number, as national_id
    ("pin_code", None, "CREDENTIAL"),
    ("icd_code", None, "HEALTH"),
    # plurals: a list of the PI is the PI
    ("phones", None, "CN_MOBILE"),
    ("mobiles", None, "CN_MOBILE"),
    ("emails", None, "EMAIL_ADDRESS"),
    ("id_cards", None, "CN_RESIDENT_ID"),
    ("idCards", None, "CN_RESIDENT_ID"),
    ("home_addresses", None, "CN_ADDRESS"),
    ("user_names", None, None),
    ("address", None, "CN_ADDRESS"),  # a word that ends in s is not a plural
    ("status", None, None),
    # not personal information
    ("user_id", None, None),
    ("product_name", None, None),
    ("order_no", None, None),
    ("create_time", None, None),
    ("sj", None, None),  # 手机 or 时间: ambiguous, so neither
    ("remark", None, None),
    # a trailing run of digits numbers the column, as phone_1 does
    ("phone2", None, "CN_MOBILE"),
    ("mobile2", None, "CN_MOBILE"),
    ("contact_phone2", None, "CN_MOBILE"),
    ("email2", None, "EMAIL_ADDRESS"),
    ("id_card1", None, "CN_RESIDENT_ID"),
    ("sfzh2", None, "CN_RESIDENT_ID"),
    ("tel2", None, "CN_MOBILE"),
    ("icd10", None, "HEALTH"),  # a word the vocabulary knows with its digits
    ("phone_sha256", None, "CN_MOBILE"),
    ("address_id2", None, None),  # still a foreign key
    ("bank_card_last4", None, None),
    ("version2", None, None),
    ("ipv4", None, None),
    ("step2", None, None),
    # biometric and health data, a mail column
    ("face_data", None, "BIOMETRIC"),
    ("face_pic", None, "BIOMETRIC"),
    ("face_blob", None, "BIOMETRIC"),
    ("faceData", None, "BIOMETRIC"),
    ("health_info", None, "HEALTH"),
    ("health_record", None, "HEALTH"),
    ("health_data", None, "HEALTH"),
    ("mail", None, "EMAIL_ADDRESS"),
    ("face_value", None, None),
    ("healthcheck", None, None),
    ("health_check_url", None, None),
    ("mail_server", None, None),
    ("mail_host", None, None),
    # no entity type names a per-app account identifier: not a mobile, name or address
    ("wx_openid", None, None),
    # an attribute of an email address, not one
    ("email_domain", None, None),
    # the longest keyword names the thing: a contact's phone, not the contact's name
    ("紧急联系人电话", None, "CN_MOBILE"),
    ("紧急联系人", None, "CN_NAME"),
    # a setting, a metric or a flag named after the PI is not the PI...
    ("password_policy", None, None),
    ("password_strength", None, None),
    ("password_changed", None, None),
    ("password_hint", None, None),
    ("password_required", None, None),
    ("password_set", None, None),
    ("password_file", None, None),
    ("password_env", None, None),
    ("password_visible", None, None),
    ("passwordPolicy", None, None),
    ("has_password", None, None),
    ("is_password_set", None, None),
    ("密码策略", None, None),
    ("密码长度", None, None),
    ("密码错误次数", None, None),
    ("c4", "是否设置支付密码", None),
    ("lat_ms", None, None),
    ("gps_accuracy", None, None),
    ("gps_enabled", None, None),
    ("lat_lng_accuracy", None, None),
    ("纬度精度", None, None),
    ("定位开关", None, None),
    ("birthday_reminder", None, None),
    ("birthday_reminder_time", None, None),  # a reminder's time, not a birth time
    ("生日提醒", None, None),
    # ...while the PI itself still is
    ("password", None, "CREDENTIAL"),
    ("login_pwd", None, "CREDENTIAL"),
    ("pay_password", None, "CREDENTIAL"),
    ("密码", None, "CREDENTIAL"),
    ("支付密码", None, "CREDENTIAL"),
    ("lat", None, "PRECISE_LOCATION"),
    ("lng", None, "PRECISE_LOCATION"),
    ("lat_lng", None, "PRECISE_LOCATION"),
    ("gps_lat", None, "PRECISE_LOCATION"),
    ("纬度", None, "PRECISE_LOCATION"),
    ("经纬度", None, "PRECISE_LOCATION"),
    ("gps_path", None, "PRECISE_LOCATION"),  # a GPS path is a trajectory
    ("birthday", None, "DATE_OF_BIRTH"),
    ("生日", None, "DATE_OF_BIRTH"),
    # where biometric or health data is kept, and how big it is, is not the data...
    ("face_data_size", None, None),
    ("face_data_url", None, None),
    ("face_data_path", None, None),
    ("face_data_format", None, None),
    ("health_data_source", None, None),
    ("medical_record_url", None, None),
    # ...while the data is, and an ID document's link or file still holds its image
    ("face_data", None, "BIOMETRIC"),
    ("fingerprint_file", None, "BIOMETRIC"),
    ("fingerprint_raw_template", None, "BIOMETRIC"),
    ("face_feature_set", None, "BIOMETRIC"),
    ("medical_record_file", None, "HEALTH"),
    ("id_card_url", None, "CN_RESIDENT_ID"),
    ("passport_scan_url", None, "CN_PASSPORT"),
    ("source_ip", None, "IP_ADDRESS"),  # source is an attribute after a term, not in one
]


@pytest.mark.parametrize("name,comment,entity", COLUMNS)
def test_classify_column(name: str, comment: str | None, entity: str | None) -> None:
    found = classify_column(name, comment)
    assert (found[0].entity_type if found else None) == entity
    if entity in {"CN_MOBILE", None} and comment is None:  # one reading, not two
        assert len(found) <= 1


def test_a_keyword_inside_a_longer_one_is_not_read() -> None:
    assert [m.entity_type for m in classify_column("x", "IP地址")] == ["IP_ADDRESS"]
    assert [m.entity_type for m in classify_column("x", "信用卡号")] == ["CREDIT_CARD"]


@pytest.mark.parametrize("name,comment,hint", [
    ("card_no_enc", None, "encrypted"),
    ("id_card_sha256", None, "hashed"),
    ("phone_hmac", None, "hashed_keyed"),
    ("mobile", "手机号 [pia:hashed_keyed]", "hashed_keyed"),
    ("mobile_masked", None, "masked"),
    ("mobile", "手机号 [pia:tokenized]", "tokenized"),
    ("mobile", None, None),
    ("enc", None, None),  # a marker alone is not a protected column
])
def test_protection_hint(name: str, comment: str | None, hint: str | None) -> None:
    assert protection_hint(name, comment) == hint


@pytest.mark.parametrize(("name", "entity"), [
    ("fingerprint", "BIOMETRIC"), ("fingerprint_template", "BIOMETRIC"),
    ("user_fingerprint", "BIOMETRIC"), ("指纹", "BIOMETRIC"), ("指纹模板", "BIOMETRIC"),
    # a key's, a certificate's or a file's fingerprint is a digest; a device's or a
    # browser's identifies a machine: none is a finger's print (SSH, TLS, anti-fraud logs)
    ("key_fingerprint", None), ("ssh_host_key_fingerprint", None),
    ("cert_sha256_fingerprint", None), ("deviceFingerprint", None),
    ("public_key_fingerprint", None), ("证书指纹", None), ("设备指纹", None),
])
def test_a_qualified_fingerprint_is_not_biometric(name: str, entity: str | None) -> None:
    assert [m.entity_type for m in classify_name(name)] == ([entity] if entity else [])


@pytest.mark.parametrize(("name", "entity"), [
    # QA of check-migrations: common names the vocabulary missed
    ("电话", "CN_MOBILE"), ("dianhua", "CN_MOBILE"), ("tel_no", "CN_MOBILE"),
    ("hiv_status", "HEALTH"), ("diagnosis_code", "HEALTH"), ("pregnancy", "HEALTH"),
    ("ssn", "CN_RESIDENT_ID"), ("办公电话", "CN_LANDLINE"),
    # ... and addresses that are no place a person lives
    ("email_addr", "EMAIL_ADDRESS"), ("ip_addr", "IP_ADDRESS"), ("server_address", None),
    ("wallet_address", None), ("服务器地址", None),
    # a MAC address is no postal address but a device's identifier (general PI)
    ("mac_address", "DEVICE_ID"), ("MAC地址", "DEVICE_ID"),
    ("home_addr", "CN_ADDRESS"), ("shipping_address", "CN_ADDRESS"), ("收货地址", "CN_ADDRESS"),
])
def test_names_of_phones_health_and_non_postal_addresses(name: str, entity: str | None) -> None:
    assert [m.entity_type for m in classify_name(name)] == ([entity] if entity else [])


@pytest.mark.parametrize(("name", "entity"), [
    # PIPL 28 金融账户: credit records, credit reports, transaction history (not only numbers)
    ("zxbg", "FINANCIAL_RECORD"), ("xdjl", "FINANCIAL_RECORD"), ("征信报告", "FINANCIAL_RECORD"),
    ("征信信息", "FINANCIAL_RECORD"), ("信贷记录", "FINANCIAL_RECORD"),
    ("交易记录", "FINANCIAL_RECORD"), ("银行流水", "FINANCIAL_RECORD"),
    ("zhengxinbaogao", "FINANCIAL_RECORD"), ("jiaoyijilu", "FINANCIAL_RECORD"),
    ("credit_report", "FINANCIAL_RECORD"), ("creditHistory", "FINANCIAL_RECORD"),
    ("transaction_history", "FINANCIAL_RECORD"), ("loan_records", "FINANCIAL_RECORD"),
    ("bank_statement", "FINANCIAL_RECORD"), ("credit_report_enc", "FINANCIAL_RECORD"),
    # PIPL 28 行踪轨迹: trips, movements and lodging (住宿信息)
    ("住宿信息", "PRECISE_LOCATION"), ("住宿记录", "PRECISE_LOCATION"),
    ("入住记录", "PRECISE_LOCATION"), ("行动轨迹", "PRECISE_LOCATION"),
    ("出行记录", "PRECISE_LOCATION"), ("xzgj", "PRECISE_LOCATION"),
    ("zhusuxinxi", "PRECISE_LOCATION"), ("hotel_checkin", "PRECISE_LOCATION"),
    ("lodging_record", "PRECISE_LOCATION"), ("location_history", "PRECISE_LOCATION"),
    ("whereabouts", "PRECISE_LOCATION"),
    # within PIPL 28's 「等信息」: a criminal past, a sexual orientation
    ("犯罪记录", "CRIMINAL_RECORD"), ("违法记录", "CRIMINAL_RECORD"), ("fzjl", "CRIMINAL_RECORD"),
    ("前科", "CRIMINAL_RECORD"), ("criminal_record", "CRIMINAL_RECORD"),
    ("性取向", "SEXUAL_ORIENTATION"), ("xqx", "SEXUAL_ORIENTATION"),
    ("sexual_orientation", "SEXUAL_ORIENTATION"),
    # general PI: marital status, device identifiers
    ("婚姻状况", "MARITAL_STATUS"), ("hyzk", "MARITAL_STATUS"), ("marital_status", "MARITAL_STATUS"),
    ("imei", "DEVICE_ID"), ("device_imei", "DEVICE_ID"), ("IMEI", "DEVICE_ID"),
    ("mac", "DEVICE_ID"), ("wifi_mac", "DEVICE_ID"), ("国际移动设备识别码", "DEVICE_ID"),
    ("android_id", "DEVICE_ID"), ("idfa", "DEVICE_ID"),
])
def test_names_of_records_and_device_identifiers(name: str, entity: str) -> None:
    assert [m.entity_type for m in classify_name(name)] == [entity]


@pytest.mark.parametrize("name", [
    # words of records and logs that hold no sensitive PI
    "record", "records", "log", "logs", "audit_log", "record_id", "log_id", "记录", "日志",
    "操作记录", "登录记录", "login_record", "op_record", "trans_record",
    # a transaction's identifier, kind, amount or state is not its history
    "transaction_id", "transactionId", "transaction_type", "transaction_amount", "order_status",
    "payment_status", "payment_no", "交易", "交易金额", "交易时间", "交易状态", "jyje", "jysj",
    "jyzt",
    # a record's number, state or link is about the record, not the record
    "交易流水号", "征信报告编号", "交易记录ID",
    # a transaction's serial (交易流水, jyls: QA estate 1), no plural of 基因's ``jy``
    "交易流水", "jyls", "jylsh", "transaction_record_no", "credit_report_id",
    "credit_report_status", "credit_report_url",
    # initials that as often spell something else: 教育经历, 执行记录, 日志记录, 会员信息, 证书信息
    "jyjl", "zxjl", "rzjl", "hyxx", "zsxx", "xsjl",
    # credit words that name no person's credit, and check-ins that are no lodging
    "credit", "credit_limit", "statement", "信用代码", "统一社会信用代码", "checkin",
    "check_in_time", "入住时间", "hotel_name", "酒店名称", "trip_id",
    # a flag or a date about marriage, a case, gender; a MAC key, a packet's MAC
    "is_married", "married_at", "刑事案件", "gender", "性别", "mac_key", "hmac", "src_mac",
    "imei_status", "device_id",
])
def test_near_misses_of_records_and_device_identifiers(name: str) -> None:
    assert classify_name(name) == []


def test_comments_name_records_too() -> None:
    assert [m.entity_type for m in classify_column("c1", "用户征信报告（PDF）")] == [
        "FINANCIAL_RECORD"]
    assert [m.entity_type for m in classify_column("c2", "hotel check-in records")] == [
        "PRECISE_LOCATION"]
    assert classify_column("c3", "交易流水号") == []
