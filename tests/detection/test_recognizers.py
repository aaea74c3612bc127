"""Recognizer tables, Presidio style: (text, [(start, end), ...]) per entity type.

Each table covers valid values in Chinese and English sentences, full-width and Tibetan
digits, values glued to Chinese characters, and near misses that must not match.
"""

from __future__ import annotations

import pytest

from pia.detection.engine import DetectionEngine

ENGINE = DetectionEngine()
PURE = DetectionEngine(prefilter=False)

ID = "11010519491231002X"  # check digit X, born 1949-12-31
ID2 = "440106199511239483"
CARD = "6222021234567890128"  # UnionPay BIN, Luhn-valid


def spans(text: str, entity: str, engine: DetectionEngine = ENGINE) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in engine.analyze(text) if m.entity_type == entity]


def at(text: str, value: str) -> list[tuple[int, int]]:
    start = text.index(value)
    return [(start, start + len(value))]


CASES: dict[str, list[tuple[str, list[tuple[int, int]] | str]]] = {
    "CN_RESIDENT_ID": [
        # valid, Chinese and English sentences
        (f"身份证号：{ID}", ID),
        (f"The customer's ID card is {ID}.", ID),
        (f"公民身份号码{ID2}已登记", ID2),  # glued to Chinese characters on both sides
        ("身份证号１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２Ｘ"),  # full-width
        ("ཐོབ་ཐང་ལག་ཁྱེར ༤༤༠༡༠༦༡༩༩༥༡༡༢༣༩༤༨༣", "༤༤༠༡༠༦༡༩༩༥༡༡༢༣༩༤༨༣"),  # Tibetan digits
        ('{"id_card": "110105194912310021"}', []),  # bad check digit
        # invalid: check digit does not match
        ("身份证号 110105194912310021", []),
        # invalid: not a real date (Feb 30)
        ("身份证号 110105194902300029", []),
        # invalid: substring of a longer run
        ("trace 811010519491231002X7", []),
        ("order 9911010519491231002X", []),
        # grouped 6-8-4, as forms print it; the check digit still decides
        ("idcard 110105 19491231 002X", "110105 19491231 002X"),
        ("证件号：110105-19491231-002x。", "110105-19491231-002x"),
        ("身份证 110105 19491231 0021", []),
        (f"订单已提交，身份证号{ID}", ID),
        (f"身份证 订单号{ID}", []),
        (f"订单金额 99.00 元，{ID2}", ID2),  # the amount's word labels the amount
        (f"serial=1 {ID}", ID),
        # an English label with a full stop labels its value as 'Order No:' does (QA fix #2)
        (f"Order No. {ID} shipped via SF", []),
        (f"order no.{ID2}", []),
        (f"Invoice No.: {ID}", []),
        (f"ID No. {ID}", ID),
        (f"No. {ID}", ID),
        (f"Order No. 20240501 received; ID No. {ID2}", ID2),
        (f"1.{ID} 2.{ID2}", [(2, 20), (23, 41)]),  # a numbered list, glued to its numbers
        ("tel 110105 19491231 002X 9", "110105 19491231 002X"),
        ("ref 1110105 19491231 002X", []),
        # legacy 15-digit only with context
        ("身份证 110105491231002", "110105491231002"),
        ("身份證 110105491231002", "110105491231002"),  # traditional script
        ("value 110105491231002", []),
    ],
    "CN_MOBILE": [
        # business metrics in fen are no phones (QA detect #2); the label must name them
        ("营业额 13812345678", []),
        ("revenue=13812345678", []),
        ("GMV: 13812345678", []),
        ("daily report pv=13812345678 uv=13912345678", []),
        ("交易额：13812345678，联系电话 13912345678", "13912345678"),
        # a query string's %2B86 is the country code's plus (QA detect #11)
        ("q=%2B8613812345678", "%2B8613812345678"),
        ("phone=%2b86 13812345678&x=1", "%2b86 13812345678"),
        ("手机13812345678", "13812345678"),
        ("手機 8613812345678", "8613812345678"),  # traditional context word
        ("訂單號 13812345678", []),  # traditional negative word
        ("簡訊發送至 8613912345678", "8613912345678"),  # Taiwan's word for SMS
        ("call me at +86 138 1234 5678 please", "+86 138 1234 5678"),
        ("联系电话：0086-13812345678", "0086-13812345678"),
        ("(+86)13812345678", "(+86)13812345678"),
        ("电话（+86）13812345678", "（+86）13812345678"),
        ("手机138-1234-5678", "138-1234-5678"),
        ("手机号１３８１２３４５６７８", "１３８１２３４５６７８"),
        ("ཁ་པར ༡༣༨༡༢༣༤༥༦༧༨", "༡༣༨༡༢༣༤༥༦༧༨"),
        ("收件人13812345678张三", "13812345678"),
        ("sms to=8613812345678 mobile", "8613812345678"),  # E.164 without its plus
        ("手机 86-13812345678", "86-13812345678"),
        ("ref 8613812345678", []),  # a 13-digit run without context
        ("手机 8614412345678", []),  # 144 is no mobile prefix
        # near misses: 11-digit runs starting 10/11/12, inside longer runs, unassigned prefix
        ("编号 10812345678", []),
        ("编号 11812345678", []),
        ("编号 12812345678", []),
        ("ts=1381234567890", []),
        ("id 213812345678", []),
        ("号码 14412345678", []),
        ("订单号 13812345678", []),
        # the label nearest the value decides: an order or trace word before it names
        # another field
        ("订单已发货，收货人电话13812345678", "13812345678"),
        ("traceId=abc 用户手机号13812345678 登录", "13812345678"),
        ('{"parent_mobile":"13812345678"}', "13812345678"),
        ("手机 订单号13812345678", []),
        # camelCase keys hold their words: orderNo is an order number's label
        ('{"orderNo":"13812345678"}', []),
        # escaped separators: percent-encoding and JSON escapes
        ("GET /login?redirect=%2Fuser%3Fphone%3D13812345678 HTTP/1.1", "13812345678"),
        ('{"msg":"line1\\n13812345678"}', "13812345678"),
        ('{"q":"mobile\\u003d13812345678"}', "13812345678"),
        ("sig=%4113812345678", []),  # %41 is a letter: the run is no mobile
        ("jvm MaxHeapSize=17179869184 bytes", []),  # quantities
        ("kafka consumer offset=15234567890", []),
        # server counters of eleven digits, by their labels (QA logs2 #4): a unit after the
        # label, Kafka's watermark, MySQL's Rows_examined, the first value of an IN list
        ('{"level": "warn", "msg": "slow redis", "latency_ns": 17480190477}', []),
        ("request done elapsed_ms=13812345678", []),
        ("Log loaded for partition with initial high watermark 13173612327", []),
        ("# Query_time: 0.426711  Rows_sent: 85  Rows_examined: 14601519458", []),
        ("binlog position 13812345678", []),
        ("InnoDB lsn=13812345678", []),
        ("SELECT * FROM t_sku WHERE sku_id IN (15912345678) AND version > 1", []),
        ("SELECT * FROM t_user WHERE mobile IN ('13812345678')", "13812345678"),
        # later values of a list share its label's verdict, though the label lies further
        # back than the window (QA fix #1)
        ("SELECT * FROM t WHERE sku_id IN (13800138000,13912345678,13787654321)", []),
        ("SELECT * FROM t WHERE sku_id IN ('13800138000', '13912345678', '13787654321')", []),
        ('{"sku_ids": [13800138000, 13912345678, 13787654321]}', []),
        ("SELECT * FROM t WHERE sku_id NOT IN (13800138000, 13912345678) AND 1", []),
        ("WHERE sku_id IN (13800138000,13912345678) OR tel=13787654321", "13787654321"),
        ("WHERE sku_id IN (1) AND phone IN (13800138000, 13912345678)",
         [(34, 45), (47, 58)]),
        ("WHERE sku_id IN (1, 2) AND user_id IN (3, 13912345678)", "13912345678"),
        ("UPDATE t_user SET phone=13812345678 WHERE id=1", "13812345678"),
        ("rows 3 手机号13812345678", "13812345678"),
        ('node_memory_MemAvailable_bytes{job="api"} 18928832088', []),  # a metric sample
        ("实现营业收入13994807256元，同比增长3.4%", []),  # an amount with its unit
        ("总股本13015854467股。", []),
        ("| root | 18852260381.8821 |", []),  # a decimal's integer part
        ("手机13812345678.0", "13812345678"),  # a float export keeps its mobiles
        # a negative word drops only the value it labels: one further back names another
        ("余额不足，请联系客服或拨打13912345678充值", "13912345678"),
        ("订单收货人：张伟 13812345678", "13812345678"),
        ("count=5 13812345678", "13812345678"),
        ("退款金额已原路返回，如有疑问请致电13812345678", "13812345678"),
        ("金额：13812345678", []),
        ("联系电话13812345678万女士", "13812345678"),  # 万 is a surname too
        ("手机13812345678元旦前有效", "13812345678"),
        ("已脱敏 138****5678", []),
        ('{"lng":113.15928941752,"lat":22.543099}', []),  # the fraction of a decimal
        # the tail of an identifier glued by - or .: a request id, a partition, a release
        # candidate, a hashed file name
        ('{"request_id":"req-13812345678-0001"}', []),
        ("分区 partition-13812345678 已满", []),
        ("release v1.3.8-rc.13812345678", []),
        ('"GET /static/app.13812345678.js HTTP/1.1" 304', []),
        # but a phone word glued the same way is a label
        ("Tel.13812345678", "13812345678"),
        ("contact mobile-13812345678", "13812345678"),
        ("tel:13812345678", "13812345678"),
        ("phone=13812345678", "13812345678"),
        ("+86-138-1234-5678", "+86-138-1234-5678"),
        ("call 138-1234-5678 now", "138-1234-5678"),
        # an ordinal, or a count with its unit right after it
        ("第13812345678位访客，感谢您的访问", []),
        ("进程 pid=13812 内存 13812345678 bytes", []),
        ("heap used 13812345678 Bytes", []),
        ("共调用13812345678次", []),
        ("耗时 13812345678 ms", []),
        ("写入13812345678字节", []),
        ("余下 13812345678 元", []),
        # a word that only starts with a unit's character: the next word
        ("电话13812345678位于首页", "13812345678"),
        ("手机13812345678次日送达", "13812345678"),
        ("phone 13812345678 msg sent", "13812345678"),
    ],
    "CN_LANDLINE": [
        ("身份证：4403 0519 9003 0712 36", []),  # one group of a longer run
        ("办公电话 010-62345678", "010-62345678"),
        ("Tel: (0755)26543210", "(0755)26543210"),
        ("座机0571-8765432转", "0571-8765432"),
        ("phone: (021) 6234 5678", "(021) 6234 5678"),  # grouped as business cards print it
        ("电话 0755-8765-4321 转 8001", "0755-8765-4321"),
        # an extension after a space when the subscriber's digits are whole (fail without)
        ("tel 0755 88886666 8001", "0755 88886666 8001"),
        ("电话：(0755) 88886666 801", "(0755) 88886666 801"),
        ("电话 0755 8888 6666 8001", []),  # a fourth group: the rest of a longer number?
        ("电话 0755 88886666 8001 2345", []),
        ("电话 0755 88886666 800123", []),
        ("tel 010-12345678", []),  # a subscriber number never starts with 1
        ("Tel: +86 10 6234 5678", "+86 10 6234 5678"),  # international: no 0 before 10
        ("office +86-755-8765-4321 ext", "+86-755-8765-4321"),
        ("座机 0086(21)62345678", "0086(21)62345678"),
        ("tel +86 139 2345 6789", []),  # a mobile: no area code starts with 13
        ("电话 02162345678", "02162345678"),  # digits only: needs context
        ("聯繫電話：02162345678", "02162345678"),  # the context word in traditional script
        ("value 02162345678", []),
        ("date 2024-05-01", []),
    ],
    "CN_BANK_CARD": [
        (f"卡号{CARD}", CARD),
        (f"refund to card {CARD} done", CARD),
        ("银行卡 6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
        ("卡号６２２２０２１２３４５６７８９０１２８", "６２２２０２１２３４５６７８９０１２８"),
        # Luhn failure
        ("卡号6222021234567890127", []),
        # long run: no partial match
        ("trace 62220212345678901280000", []),
        # order number with a UnionPay-looking prefix
        (f"订单号 {CARD}", []),
        (f"订单支付，银行卡号{CARD}", CARD),
        (f"卡号 流水{CARD}", []),
        ('{"elapsed":1.9471650908718052}', []),  # the fraction of a decimal
        ('{"ratio":0.6007205633697961}', []),
        # an identity number is not a card even when Luhn passes
        ("证件号 430104200807225776", []),
    ],
    "CN_PASSPORT": [
        # product codes have the e-passport's shape (QA detect #3)
        ("SKU: E12345678", []),
        ("货号：E12345678", []),
        ("款号 E12345678", []),
        ("商品编码E12345678", []),
        ("护照编号：E12345678", "E12345678"),
        # a booking's number after the passport's on one line (QA held-out corpus)
        ("护照号 G42845604 国籍CHN 预约号70445162", "G42845604"),
        ("护照号码：E12345678，会员号 12345678", "E12345678"),
        ("passport E12345678 booking ref 12345678", "E12345678"),
        ("errorCode=E10010001 msg=系统繁忙", []),  # an error code
        ("错误码：E20260001", []),
        ("护照号码E12345678", "E12345678"),
        ("passport E12345678 verified", "E12345678"),
        ("护照 G12345678", "G12345678"),
        ('{"passportNo":"G12345678"}', "G12345678"),
        ("passport no. 950699205", "950699205"),  # a foreign passport: needs the word
        ("code E123456789", []),
        ("model E12345678X", []),
        ("value 950699205", []),
        # employee numbers have the e-passport's shape too (QA heldout13 F3)
        ("员工 马丽 工号 E00123456 入职 2026-11-01", []),
        ("staff_id=E00123456", []),
        ('{"empNo":"E20261101"}', []),
        ("员工护照 E12345678", "E12345678"),
        # typed by hand in small letters: next to the word only (alone, a Git abbreviation)
        ("护照号 e12345678", "e12345678"),
        ("passport no: g12345678", "g12345678"),
        ("护照 ea1234567", "ea1234567"),
        ("e12345678", []),
        ("version 0.2.dev3+g12345678", []),
    ],
    "CN_LICENSE_PLATE": [
        ("车牌粤B12345", "粤B12345"),
        ("vehicle 京A·D12345 entered", "京A·D12345"),
        ("新能源车牌沪AD12345", "沪AD12345"),
        ("车辆津G-64942驶入", "津G-64942"),
        ("粤B1234挂车", "粤B1234挂"),  # trailer: four characters and 挂
        ("粤BUSINESS", []),
        ("粤B1234567", []),
        ("车牌：粤b12345", "粤b12345"),  # typed in lowercase
        ("車牌：粵B12345", "粵B12345"),  # traditional province character
        ("粤business", []),
    ],
    "EMAIL_ADDRESS": [
        ("邮箱zs@example.com", "zs@example.com"),
        ("mail zhang.san+cn@corp.example.cn.", "zhang.san+cn@corp.example.cn"),
        ("Object@6d06d69c", []),
        ("user@localhost", []),
        ("联系邮箱li.si@mail.example.com请回复", "li.si@mail.example.com"),  # glued to Chinese
        ("Please write to Wang.Wu@Example.ORG today", "Wang.Wu@Example.ORG"),
        ("a@b", []),
        # image names at two and three times the pixel density: no real top-level domain
        ('"GET /static/img/logo@2x.png HTTP/1.1" 200 5123', []),
        ('<img src="https://cdn.example.cn/images/banner@3x.webp">', []),
        ("GET /assets/icon-home@2x.jpg?v=20261129", []),
        ("hr@company.tech 招聘", "hr@company.tech"),
        ("  Message-Id: <200907191328.23816.lasse.collin@tukaani.org>", []),
        ('{"messageId":"<4c269f24a1@mail.example.com>","to":"zs@example.com"}',
         "zs@example.com"),
        ("msgid=5 from=zs@163.com", "zs@163.com"),
        # an SSH remote is user@host:path, no address (QA heldout13 F5)
        ("ssh git@github.com:example-org/repo.git", []),
        ("git clone git@gitee.com:org/repo.git", []),
        ("rsync -a build/ deploy@web1.example.com:~/app/", []),
        ("mail zs@example.com: sent", "zs@example.com"),
        ("zs@example.com:13812345678", "zs@example.com"),
        ("请发邮件至zs@example.com。We will reply soon.", "zs@example.com"),
        ('{"contactEmail":"zs@example.com"}', "zs@example.com"),
        ("GET /reset?email=zhang.san%40example.com&code=1234", "zhang.san%40example.com"),
        ("seller_email=shop%40example.com&buyer_id=2088102177846881", "shop%40example.com"),
        ("GET /img/logo%402x.png", []),  # a newer generic TLD is still one
    ],
    "IP_ADDRESS": [
        # an app's or a firmware's version (QA detect #10)
        ("app=8.0.1.100", []),
        ("升级到 2.1.0.3 后重启", []),
        ("firmware 10.2.0.17 installed", []),
        ("app=demo client 10.2.3.4", "10.2.3.4"),
        ("User-Agent: okhttp/4.9.3 ShopApp/6.3.0.2 (Android 13)", []),  # a version
        ('{"appVersion":"5.12.0.1"}', []),
        ("jar:file:/app/lib/ojdbc6-11.2.0.4.jar!/", []),  # an artifact's version
        ("mysql-connector-java-8.0.33.1.jar", []),
        # addresses that name no person's machine, networks, Debian revisions
        ("bind-address = 127.0.0.1", []),
        ("host: 169.254.169.254", []),
        ("netmask 255.255.255.0 broadcast 224.0.0.1", []),
        ("# The same is 192.168.201.0/24", []),
        ("install alsa-topology-conf:all <none> 1.2.5.1-2", []),
        ("#scopev4 ::ffff:127.0.0.0/104    2", []),
        ("登录IP 192.168.1.10", "192.168.1.10"),  # a private address stays
        ("参见 GB/T 22239-2019 第 8.1.4.3 条", []),  # a clause number
        ("http://10.0.0.1/admin", "10.0.0.1"),
        ("登录IP 192.168.1.10", "192.168.1.10"),
        ("from 10.0.0.254.", "10.0.0.254"),
        ("登录IP：10.0.0.1。2小时后再次登录", "10.0.0.1"),
        ("client 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
        ("version 1.2.3.4", []),
        ("oid 1.3.6.1.4.1", []),
        ("GB/T 22239 8.1.4.3 审计记录", []),
        ('article: "8.1.4.3"', []),  # a ruleset's reference to a standard's clause
        ("控制点 8.1.4.3 安全审计", []),
        ("256.1.1.1", []),
        ("at 12:33:11", []),
        # a static file's cache-busting version (QA held-out corpus)
        ("GET /static/app.js?v=11.29.6.72 HTTP/1.1", []),
        ("GET /app.css?t=1&v=8.26.7.81", []),
        # a socket address naming a thread or a host, and both ends of a range (QA held-out
        # corpus: Dubbo's thread names hid the address), where a name's version stays none
        ("[DubboServerHandler-10.128.131.55:20880-thread-39] INFO", "10.128.131.55"),
        ("connect host-10.1.2.3:8080 refused", "10.1.2.3"),
        ("DHCP pool range 114.16.244.189-172.25.212.134 exhausted", [(16, 30), (31, 45)]),
        ("ojdbc6-11.2.0.4.jar:1", []),
        ("pkg 1.2.5.1-2.3 installed", []),
        ("pkg foo-11.2.0.4-2 installed", []),
    ],
    "CN_USCC": [
        ("统一社会信用代码 91110000600037341L", "91110000600037341L"),
        ("91110000600037341A", []),
        ("The company's credit code is 91110000600037341L.", "91110000600037341L"),
        ("营业执照91110000600037341L已核验", "91110000600037341L"),  # glued both sides
        ("统一社会信用代码 991110000600037341L", []),  # inside a longer run
    ],
    "CN_HK_MACAO_PERMIT": [
        ("港澳通行证 C12345678", "C12345678"),
        ("回乡证H12345678", "H12345678"),
        ("code C12345678", []),
        ("Home return permit: H1234567890, issued 2020", "H1234567890"),
        ("往来港澳通行证C12345678已签注", "C12345678"),
        ("港澳通行证 C123456789", []),  # one digit too many
        ("往来港澳通行证 c12345678", "c12345678"),  # typed in small letters
        ("回乡证 h1234567890", "h1234567890"),
        ("code c12345678", []),
    ],
    "CN_TAIWAN_PERMIT": [
        ("台胞证 12345678", "12345678"),
        ("count 12345678", []),
        ("MTP (Taiwan permit) no. 12345678", "12345678"),
        ("台胞证号码12345678已登记", "12345678"),
        ("入台证 T12345678", "T12345678"),
        ("台胞证 123456789", []),  # nine digits: no permit
        ("入台证 t12345678", "t12345678"),  # typed in small letters
        ("台胞证 1234567890(a)", "1234567890(a)"),
    ],
    "CN_MILITARY_ID": [
        ("（2015）朝民初字第123456号民事判决书", []),  # a court case number
        ("卫食证字第20260001号", []),  # a food licence
        ("军官证 军字第12345678号", "军字第12345678号"),
        ("军官证号 1234567", "1234567"),
        ("编号 1234567", []),
        ("military ID (军官证) 军字第12345678号 checked", "军字第12345678号"),
        # QA: the whole document number after the word that introduces it, not its digits
        ("我是部队的，军官证是南字第123456号", "南字第123456号"),
        ("军官证南字第123456号已核验", "南字第123456号"),
        ("证件号为海字第1234567号", "海字第1234567号"),
        ("经营许可证行政字第123456号", []),  # glued to another word: no issuer of its own
    ],
    "CN_NAME": [
        # Java's camelCase keys hold their label words
        ('{"realName":"陈静"}', "陈静"),
        ('{"receiverName":"张三"}', "张三"),
        ("姓名：张三，", "张三"),
        ("收货人 欧阳娜娜 电话", "欧阳娜娜"),
        ("name=李四", "李四"),
        ("王先生来电", []),
        ("张三", []),  # no context
        # right after a label that only introduces a person
        ("联系人王小明 13800138000", "王小明"),
        ("收货人张三，电话", "张三"),
        ("姓名欧阳娜娜。", "欧阳娜娜"),
        # nouns such labels start, and labels that also start nouns (客户端)
        ("联系人关系：配偶", []),
        ("申请人单位：某公司", []),
        ("持卡人信息，", []),
        ("客户端登录", []),
        # glued to a subject label, run into what the person did (QA fix #3)
        ("客户张三购买了", "张三"),
        ("用户王芳下单成功", "王芳"),
        ("用户下单成功", []),
        # in a field, run into the text before a common next word
        ("客户：张三购买了商品", "张三"),
        ("姓名:王小明先生", "王小明"),
        ("用户=李四已登录", "李四"),  # the shortest given name a next word follows
        ("会员：欧阳娜娜办理退款", "欧阳娜娜"),
        ("用户：张三丰收了", []),  # 丰收 is no next word: where the name ends is unknown
        ("用户：信息已更新", []),
        ("客户：全部取消", []),
        ("客户：向银行申请贷款", []),  # 向 is a surname, and a preposition
        ("收货人张三已签收", "张三"),  # right after a person label
        ("联系人王小明来电咨询", "王小明"),
        ("持卡人信息修改", []),
        ("申请人单位修改", []),
    ],
    "CN_ADDRESS": [
        ("地址：北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
        ("ship to 广东省深圳市南山区科技园南路18号", "广东省深圳市南山区科技园南路18号"),
        ("北京是首都", []),
        ("addr=北京市海淀区中关村大街27号,tel", "北京市海淀区中关村大街27号"),
        ("收货地址：上海市浦东新区张江路88弄3号楼1201室", "上海市浦东新区张江路88弄3号楼1201室"),
        ("地址:浙江省杭州市西湖区文三路90号12栋2单元502室，", "浙江省杭州市西湖区文三路90号12栋2单元502室"),
    ],
    "HEALTH": [
        ("2026-11-29 INFO 患者 病史：高血压、糖尿病 复诊", "高血压、糖尿病"),
        ("过敏史=青霉素", "青霉素"),
        ("诊断结果: 2型糖尿病；", "2型糖尿病"),
        ('{"既往病史": "冠心病", "mobile": "x"}', "冠心病"),
        ("家族病史：高血压，心脏病。", "高血压，心脏病"),
        ("诊断：磁盘正常", []),  # a system's diagnostics
        ("过敏史：无", []),  # nothing to record
        ("既往史：否认", []),
        ("病情描述：头痛", []),  # 病情 describes as often as it records
        ("病史：", []),
    ],
    "CREDIT_CARD": [
        ("credit card 4111 1111 1111 1111", []),  # repeated digits are test data
        ("visa 4539578763621486", "4539578763621486"),
        ("visa 4539578763621487", []),  # Luhn failure
        ("batch=4779971907263779", []),
        ("id 510107199102054384", []),  # 18 digits is no Mastercard length
        # 17 to 19 digits: business numbers as often as cards, so a card word must say so
        ("bizNo=353912341234124384 ok", []),
        ("信用卡 353912341234124384", "353912341234124384"),
        ("ref=4532015112830366120 done", []),
        ("visa 4532015112830366120", "4532015112830366120"),
        ("信用卡4539578763621486已绑定", "4539578763621486"),  # glued to Chinese
        ("Card 4539 5787 6362 1486 was charged", "4539 5787 6362 1486"),
        ('{"riskScore":0.3544879577304417,"model":"v3"}', []),  # the fraction of a decimal
    ],
    # an IMEI only under its label: a bare 15-digit number is an order, a trace, a time
    "DEVICE_ID": [
        ("imei=490154203237518", "490154203237518"),
        ('{"imei": "490154203237518", "os": "android"}', "490154203237518"),
        ("IMEI: 49-015420-323751-8", "49-015420-323751-8"),  # as *#06# groups it
        ("手机串号：490154203237518，已绑定", "490154203237518"),
        ("设备IMEI 352099001761481 上报", "352099001761481"),
        ("imei=490154203237519", []),  # Luhn failure
        ("imei=000000000000000", []),  # a placeholder for an IMEI the app may not read
        ("imei: 3520990017614823", []),  # sixteen digits: an IMEISV, no check digit
        # near misses: Luhn-valid 15-digit numbers with no IMEI label
        ("490154203237518", []),
        ("2026-11-29 INFO id=490154203237518 took 12ms", []),
        ("trace=490154203237518 imei=unknown", []),
        ("imei 订单号490154203237518", []),  # the order's own label
        ("ts_us=1764400000123456 imei", []),
    ],
    # passwords written outside key=value pairs: the full table is in test_credential.py
    "CREDENTIAL": [
        ("INFO curl -u admin:S3cretPw https://api.example.com/", "admin:S3cretPw"),
        ('WWW-Authenticate: Basic realm="x"', []),
    ],
}

PARAMS = [(entity, text, want) for entity, cases in CASES.items() for text, want in cases]


@pytest.mark.parametrize("entity,text,want", PARAMS,
                         ids=[f"{e}-{i}" for i, (e, _t, _w) in enumerate(PARAMS)])
def test_recognizer_table(entity: str, text: str, want: list | str) -> None:
    expected = at(text, want) if isinstance(want, str) else want
    assert spans(text, entity) == expected
    # the engine without a prefilter must agree exactly
    assert spans(text, entity, PURE) == expected


def test_offsets_point_into_the_original_text() -> None:
    text = "客户１３８１２３４５６７８，邮箱ｚｓ＠ｅｘａｍｐｌｅ．ｃｏｍ"
    found = {m.entity_type: text[m.start:m.end] for m in ENGINE.analyze(text)}
    assert found["CN_MOBILE"] == "１３８１２３４５６７８"
    assert found["EMAIL_ADDRESS"] == "ｚｓ＠ｅｘａｍｐｌｅ．ｃｏｍ"


def test_every_builtin_recognizer_has_a_table() -> None:
    assert {r.entity for r in ENGINE.recognizers} <= set(CASES)


def test_recognizers_work_inside_presidio() -> None:
    from pia.detection.presidio import build_analyzer

    analyzer = build_analyzer()
    for language in ("zh", "en"):
        results = analyzer.analyze(f"身份证号{ID} 手机13812345678", language=language)
        assert sorted((r.entity_type, r.start, r.end) for r in results) == [
            ("CN_MOBILE", 25, 36), ("CN_RESIDENT_ID", 4, 22)]


_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in
                             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})
_TIBETAN_DIGITS = str.maketrans({str(d): chr(0x0F20 + d) for d in range(10)})
#: every table case with a digit in it, written with full-width characters and with Tibetan
#: digits: the same span must be found (or, for a near miss, still nothing)
VARIANTS = [(entity, text.translate(table), want if isinstance(want, list)
             else want.translate(table), kind)
            for entity, text, want in PARAMS if any(ch.isascii() and ch.isdigit() for ch in text)
            for kind, table in (("full-width", _FULL_WIDTH), ("tibetan", _TIBETAN_DIGITS))]


@pytest.mark.parametrize("entity,text,want,kind", VARIANTS,
                         ids=[f"{e}-{k}-{i}" for i, (e, _t, _w, k) in enumerate(VARIANTS)])
def test_table_cases_in_full_width_and_tibetan_digits(entity: str, text: str,
                                                      want: list | str, kind: str) -> None:
    expected = at(text, want) if isinstance(want, str) else want
    assert spans(text, entity) == expected
    assert spans(text, entity, PURE) == expected


def test_every_context_word_fits_its_window_with_a_separator() -> None:
    # the window before a value holds CONTEXT_BEFORE + 1 characters: a longer word, or one
    # as long with its separator, could only ever count when glued to the value
    too_long = [(rec.name, word) for rec in ENGINE.recognizers for word in rec.context or []
                if len(word) + 1 > rec.CONTEXT_BEFORE + 1]
    assert too_long == []
