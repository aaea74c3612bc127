"""CN_ADDRESS spans: the whole address, as far as it is an address, and nothing of the next
field; near misses (prose naming a city, company names, document numbers) find nothing.

Both engines must give exactly these spans: the Hyperscan path equals plain ``re``.
"""

from __future__ import annotations

import time

import pytest

from pia.detection.engine import DetectionEngine
from pia.detection.recognizers.cn.address import CnAddressRecognizer

ENGINE = DetectionEngine()
PURE = DetectionEngine(prefilter=False)

#: (text, the address in it, or None for nothing)
CASES: list[tuple[str, str | None]] = [
    # villages, groups and house numbers
    ("家庭住址：河南省周口市郸城县汲冢镇王庄村3组18号", "河南省周口市郸城县汲冢镇王庄村3组18号"),
    ("户籍地址：湖南省长沙县黄花镇黄花村", "湖南省长沙县黄花镇黄花村"),
    ("户籍：河北省保定市清苑区东闾乡东闾村三组", "河北省保定市清苑区东闾乡东闾村三组"),
    ("住址：安徽省阜阳市临泉县城关街道", "安徽省阜阳市临泉县城关街道"),
    # road sections (段)
    ("地址：台湾省台北市信义区信义路五段7号", "台湾省台北市信义区信义路五段7号"),
    ("住址：四川省成都市武侯区人民南路四段12号", "四川省成都市武侯区人民南路四段12号"),
    ("地址：台湾省台北市大安区忠孝东路4段150巷2弄7号", "台湾省台北市大安区忠孝东路4段150巷2弄7号"),
    # Beijing's 条, 胡同, 里; Shanghai's 弄
    ("地址：北京市东城区东四十条94号", "北京市东城区东四十条94号"),
    ("住址：北京市西城区西四北三条胡同5号", "北京市西城区西四北三条胡同5号"),
    ("地址：北京市东城区南锣鼓巷胡同8号院", "北京市东城区南锣鼓巷胡同8号院"),
    ("地址：北京市朝阳区和平里七区12号楼3单元201", "北京市朝阳区和平里七区12号楼3单元201"),
    ("住址：上海市黄浦区淮海中路567弄12号", "上海市黄浦区淮海中路567弄12号"),
    # estates, buildings, units and rooms
    ("地址：广东省广州市天河区天河路385号太古汇大厦15层", "广东省广州市天河区天河路385号太古汇大厦15层"),
    ("地址：江苏省南京市鼓楼区中山北路88号金陵小区5栋2单元502室",
     "江苏省南京市鼓楼区中山北路88号金陵小区5栋2单元502室"),
    ("住址：浙江省宁波市鄞州区阳光社区12幢301室", "浙江省宁波市鄞州区阳光社区12幢301室"),
    ("地址：福建省厦门市思明区莲花新村A座1203室", "福建省厦门市思明区莲花新村A座1203室"),
    ("地址：陕西省西安市雁塔区曲江花园3-2-501室", "陕西省西安市雁塔区曲江花园3-2-501室"),
    # development zones, industrial parks
    ("地址：江苏省苏州市工业园区星湖街328号", "江苏省苏州市工业园区星湖街328号"),
    ("地址：广东省东莞市松山湖高新技术产业开发区工业西路6号",
     "广东省东莞市松山湖高新技术产业开发区工业西路6号"),
    ("地址：湖北省武汉市东湖新技术开发区光谷软件园A座", "湖北省武汉市东湖新技术开发区光谷软件园A座"),
    # autonomous prefectures and counties, banners
    ("住址：四川省凉山彝族自治州西昌市长安街道航天大道二段18号",
     "四川省凉山彝族自治州西昌市长安街道航天大道二段18号"),
    ("住址：内蒙古自治区鄂尔多斯市伊金霍洛旗阿勒腾席热镇", "内蒙古自治区鄂尔多斯市伊金霍洛旗阿勒腾席热镇"),
    ("地址：新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿图什市光明路3号",
     "新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿图什市光明路3号"),
    ("地址：云南省红河哈尼族彝族自治州屏边苗族自治县玉屏镇",
     "云南省红河哈尼族彝族自治州屏边苗族自治县玉屏镇"),
    # QA: … and without their province, after a label (the weaker pattern, needs context)
    ("家庭住址：延边朝鲜族自治州延吉市光明街道河南街1008号", "延边朝鲜族自治州延吉市光明街道河南街1008号"),
    ("地址：延边朝鲜族自治州延吉市河南街1008号", "延边朝鲜族自治州延吉市河南街1008号"),
    ("Address: 凉山彝族自治州西昌市长安街道航天大道三段66号", "凉山彝族自治州西昌市长安街道航天大道三段66号"),
    ("住址：长阳土家族自治县龙舟坪镇津洋路12号", "长阳土家族自治县龙舟坪镇津洋路12号"),
    ("地址：锡林郭勒盟锡林浩特市额尔敦路28号", "锡林郭勒盟锡林浩特市额尔敦路28号"),
    ("住址：阿里地区噶尔县狮泉河镇文化路5号", "阿里地区噶尔县狮泉河镇文化路5号"),
    ("收货地址：和田地区和田市团结路3号", "和田地区和田市团结路3号"),
    ("地址：吉林省延边朝鲜族自治州延吉市河南街1008号", "吉林省延边朝鲜族自治州延吉市河南街1008号"),
    # near misses: a prefecture with no street and number, prose, no context word
    ("家庭住址：延边朝鲜族自治州延吉市", None),
    ("地址：该地区经济发展迅速，2号线", None),
    ("延边朝鲜族自治州延吉市河南街1008号", None),
    ("这个地区的发展区域3号", None),
    # a municipality with its street and number, no district
    ("地址：北京市长安街1号", "北京市长安街1号"),
    # a city without its province, after a label (the weaker pattern, needs context)
    ("地址：广州市天河区体育西路191号", "广州市天河区体育西路191号"),
    ("地址：杭州市西湖区文三路90号12栋2单元502室", "杭州市西湖区文三路90号12栋2单元502室"),
    # the next field or sentence is not part of it
    ("地址：北京市海淀区中关村大街27号，电话13812345678", "北京市海淀区中关村大街27号"),
    ("地址：北京市海淀区中关村大街27号电话13812345678", "北京市海淀区中关村大街27号"),
    ("收货地址：上海市浦东新区张江路88弄3号楼1201室 收货人张三", "上海市浦东新区张江路88弄3号楼1201室"),
    ("收货地址：上海市浦东新区张江路88弄3号楼1201室收货人张三", "上海市浦东新区张江路88弄3号楼1201室"),
    ("地址：北京市朝阳区建国路88号。请于周一送达", "北京市朝阳区建国路88号"),
    ("地址：浙江省杭州市西湖区文三路90号2单元13812345678", "浙江省杭州市西湖区文三路90号2单元"),
    ("住在北京市朝阳区建国路88号附近的小区", "北京市朝阳区建国路88号"),
    # English log lines and JSON with a Chinese address
    ("2024-05-01 INFO order shipped to 四川省成都市武侯区人民南路四段12号, tel 13812345678",
     "四川省成都市武侯区人民南路四段12号"),
    ('{"address":"湖南省长沙县黄花镇黄花村","name":"张三"}', "湖南省长沙县黄花镇黄花村"),
    ("user addr=河南省周口市郸城县汲冢镇王庄村3组18号&tel=138", "河南省周口市郸城县汲冢镇王庄村3组18号"),
    # full-width digits and letters (normalised to ASCII before matching)
    ("地址：北京市东城区东四十条９４号", "北京市东城区东四十条９４号"),
    ("地址：福建省厦门市思明区莲花新村Ａ座１２０３室", "福建省厦门市思明区莲花新村Ａ座１２０３室"),
    # order exports (Taobao, JD): one space between the levels, ASCII or ideographic
    ("收货地址: 广东省 深圳市 南山区 粤海街道 科技南十二路2号", "广东省 深圳市 南山区 粤海街道 科技南十二路2号"),
    ("收货地址：广东省\u3000深圳市\u3000南山区\u3000粤海街道\u3000科技南十二路2号",
     "广东省\u3000深圳市\u3000南山区\u3000粤海街道\u3000科技南十二路2号"),
    ("1001,张三,13812345678,广东省 深圳市 南山区 粤海街道 科技南十二路2号,已发货",
     "广东省 深圳市 南山区 粤海街道 科技南十二路2号"),
    ("张三 13812345678 广东省 深圳市 南山区 粤海街道 科技南十二路2号 518000",
     "广东省 深圳市 南山区 粤海街道 科技南十二路2号"),
    ("收货地址：深圳市 南山区 粤海街道 科技南十二路2号", "深圳市 南山区 粤海街道 科技南十二路2号"),
    # … and a space before a number (3号楼 1201室), but none after it: the next field is out
    ("收货地址：北京市 海淀区 中关村大街 27号 电话13812345678", "北京市 海淀区 中关村大街 27号"),
    ("收货地址：上海市 浦东新区 张江路88弄 3号楼 1201室 收货人张三", "上海市 浦东新区 张江路88弄 3号楼 1201室"),
    ("地址：北京市海淀区中关村大街27号 电话13812345678", "北京市海淀区中关村大街27号"),
    ("地址：北京市海淀区中关村大街27号 李园 13812345678", "北京市海淀区中关村大街27号"),
    ("上海市场部 北京市 朝阳区 工作", None),
    ("我在北京市 朝阳区 上班 路上", None),
    # traditional characters: Hong Kong, Macau, Taiwan
    ("地址：廣東省深圳市南山區深南大道10000號", "廣東省深圳市南山區深南大道10000號"),
    ("地址：台北市信義區信義路五段7號", "台北市信義區信義路五段7號"),
    ("地址：香港九龍旺角彌敦道580號", "香港九龍旺角彌敦道580號"),
    ("地址：香港特別行政區九龍旺角彌敦道580號A座12樓", "香港特別行政區九龍旺角彌敦道580號A座12樓"),
    ("收貨地址：臺灣省臺北市大安區忠孝東路4段150巷2弄7號3樓", "臺灣省臺北市大安區忠孝東路4段150巷2弄7號3樓"),
    ("地址：臺灣省臺北市信義區信義里3鄰信義路五段7號", "臺灣省臺北市信義區信義里3鄰信義路五段7號"),
    ("聯繫地址：台北市大安區忠孝東路四段150巷2弄7號", "台北市大安區忠孝東路四段150巷2弄7號"),
    ("戶籍：廣東省廣州市天河區天河路385號", "廣東省廣州市天河區天河路385號"),
    ("住址：廣東省 深圳市 南山區 粵海街道 科技南十二路2號 電話13812345678",
     "廣東省 深圳市 南山區 粵海街道 科技南十二路2號"),
    ("台北市信義區信義路五段7號", None),  # the weaker pattern needs a label, as in simplified
    ("我們在臺北市信義區工作", None),
    ("這是廣東省深圳市南山區的公司", None),
    # near misses: prose naming a place, company names, document numbers
    ("我在北京市工作", None),
    ("上海市场部", None),
    ("广州市场营销", None),
    ("上海市场部在浦东新区", None),
    ("北京市朝阳区工作的人知道", None),
    ("我在北京市朝阳区工作了三年", None),
    ("北京是首都", None),
    ("北京市人民政府第3号文件", None),
    ("根据北京市朝阳区教育局第3号文件", None),
    ("深圳市腾讯计算机系统有限公司", None),
    ("上海市浦东新区人民法院", None),
    ("北京市地铁一号线", None),
]


def spans(text: str, engine: DetectionEngine) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in engine.analyze(text) if m.entity_type == "CN_ADDRESS"]


@pytest.mark.parametrize("text,want", CASES, ids=[str(i) for i in range(len(CASES))])
def test_address_span(text: str, want: str | None) -> None:
    expected = [] if want is None else [(text.index(want), text.index(want) + len(want))]
    assert spans(text, ENGINE) == expected
    assert spans(text, PURE) == expected


def test_address_patterns_run_in_hyperscan() -> None:
    # neither pattern may fall back to the whole-buffer path, nor to flagging lines: when
    # the widened form grows too large for exact spans, Hyperscan's prefilter compile of it
    # took the engine's build from 1.5 s to 22 s of CPU (one more 段 alternative did it)
    scanner = ENGINE._scanner
    assert not [i for i in scanner.always if scanner.jobs[i].recognizer.entity == "CN_ADDRESS"]
    assert all(job.exact for job in scanner.jobs if job.recognizer.entity == "CN_ADDRESS")


@pytest.mark.parametrize("run", ["市", "区市", "路", "大街", "园", "区镇", "路 ", "区 ", "1号 ",
                                 "區 鎮", "號"])
def test_runs_of_look_alikes_do_not_backtrack_for_long(run: str) -> None:
    recognizer = CnAddressRecognizer()
    for head in ("北京市", "北京市朝阳区", "地址：广州市", "地址：廣州市 天河區 "):
        text = head + run * 300
        start = time.process_time()  # CPU, not wall time: other processes share the cores
        list(recognizer.find(text))
        assert time.process_time() - start < 0.5, (head, run)
