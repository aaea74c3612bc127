from __future__ import annotations

import pytest

from pia.detection.metadata import classify_column, classify_name, protection_hint

COLUMNS = [
    # (name, comment, expected entity or None)
    ("sfzh", None, "CN_RESIDENT_ID"),
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
    ("mac_address", None), ("wallet_address", None), ("服务器地址", None), ("MAC地址", None),
    ("home_addr", "CN_ADDRESS"), ("shipping_address", "CN_ADDRESS"), ("收货地址", "CN_ADDRESS"),
])
def test_names_of_phones_health_and_non_postal_addresses(name: str, entity: str | None) -> None:
    assert [m.entity_type for m in classify_name(name)] == ([entity] if entity else [])
