"""CN_NAME: Chinese personal names — a surname from the common-surname list plus one or two
given-name characters, counted only next to a context word (姓名, 客户, 持卡人, 联系人...).

Without NER there is no telling 王府 from 王芳, so context is required, and the name must end
at something that is not a Chinese character (name=张三, 联系人：李四，). It may start right
after a label that only ever introduces a person (联系人王小明 138…, 收货人张三，); after a
label that also forms common nouns (客户端, 用户名) it must be set apart. Words such labels
are often followed by (联系人关系, 申请人单位) are not names. In a field (客户：张三购买了), or
right after a label of the first kind (收货人张三已签收), a name may run into the text when
what follows is a common next word (购买, 办理, 先生, 电话…). Glued to a label that also
forms nouns and run into the text (客户张三购买了, but also 用户申请退款) it is not found: a
known limit.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from pia.detection.recognizer import PiaPatternRecognizer

#: The most common single-character surnames (about 96% of the population) and compound ones.
SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "第五",
)

_HAN = "\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + SINGLE_SURNAMES + "])"
#: a surname's first character: checked before the labels behind it, so that ``re`` tries
#: those lookbehinds only where a name can start (four times faster on Chinese text)
_STARTS_A_NAME = ("(?=[" + "".join(sorted(set(SINGLE_SURNAMES)
                                          | {name[0] for name in COMPOUND_SURNAMES})) + "])")
#: labels after which a name may follow without a separator: they introduce a person and
#: rarely start a longer noun (客户 does: 客户端, 客户经理)
PERSON_LABELS = ("姓名", "联系人", "持卡人", "收货人", "收件人", "寄件人", "申请人", "户主",
                 "法人", "乘客", "住客", "患者")
#: labels a field's value follows after ：, : or = (姓名：张三, 客户:李四办理…)
FIELD_LABELS = ("姓名", "客户", "用户", "会员", "联系人", "持卡人", "收货人", "收件人", "寄件人",
                "申请人", "户主", "法人", "乘客", "住客", "患者", "学生", "员工")
#: what a name is often followed by in running text: what the person did, a title, or the
#: next field. A name run into anything else is not found (there is no telling where the
#: given name ends).
FOLLOWERS = ("购买", "下单", "支付", "付款", "办理", "申请", "提交", "登录", "注册", "预约",
             "入住", "退房", "签收", "投诉", "咨询", "来电", "取消", "退款", "充值", "提现",
             "转账", "绑定", "解绑", "修改", "认证", "领取", "完成", "先生", "女士", "同学",
             "电话", "手机", "身份证", "地址", "性别", "年龄", "已", "于", "在", "的", "和")
#: surnames that are also everyday words (向银行申请, 于是, 全部取消, 单笔支付, 成功办理): a name
#: run into the text never starts with them
WORDLIKE_SURNAMES = "向于和全单成时常都尚由"
_RUN_IN_SURNAME = ("(?:" + "|".join(COMPOUND_SURNAMES) + "|["
                   + "".join(ch for ch in SINGLE_SURNAMES if ch not in WORDLIKE_SURNAMES) + "])")
#: nouns that start with a surname character and often follow a person label or a
#: 姓名/name field (联系人关系, 申请人单位, 持卡人信息)
NOT_NAMES = frozenset([
    "信息", "关系", "单位", "公司", "国籍", "平台", "区域", "银行", "车辆", "房间", "房号",
    "文件", "权限", "来源", "余额", "金额", "管理", "时间", "明细", "安全", "满意度", "成功",
    "查询", "列表", "于是", "方式", "姓名", "数量", "类型", "代表", "证件", "资料", "住址",
    "全部", "单笔",
])


class CnNameRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_NAME"
    PRIORITY = 70
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("surname + given name", f"(?<![{_HAN}])" + _SURNAME + f"[{_HAN}]{{1,2}}(?![{_HAN}])",
                0.2),
        Pattern("name right after its label", _STARTS_A_NAME
                + "(?:" + "|".join(f"(?<={label})" for label in PERSON_LABELS) + ")" + _SURNAME
                + f"[{_HAN}]{{1,2}}(?![{_HAN}])", 0.2),
        Pattern("name run into the text after its label", _STARTS_A_NAME
                + "(?:" + "|".join([f"(?<={label}[：:=])" for label in FIELD_LABELS]
                                 + [f"(?<={label})" for label in PERSON_LABELS]) + ")"
                # the shortest given name that a next word follows: 李四已登录 is 李四
                + _RUN_IN_SURNAME + f"[{_HAN}]{{1,2}}?(?=" + "|".join(FOLLOWERS) + ")", 0.2),
    ]
    CONTEXT = [
        "姓名", "名字", "客户", "用户", "联系人", "持卡人", "收货人", "收件人", "寄件人", "患者", "学生",
        "员工", "法人", "户主", "申请人", "乘客", "住客", "会员", "name", "customer", "holder",
        "contact", "xm", "xingming", "མིང", "མིང་།",
    ]
    CONTEXT_BEFORE = 8
    CONTEXT_AFTER = 0
    CONTEXT_BOOST = 0.4
    #: words after a surname that make it a noun phrase, not a name
    NOT_GIVEN_NAMES = frozenset(["先生", "女士", "小姐", "老师", "总", "经理", "师傅", "某", "某某"])

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        given = value[2:] if value[:2] in COMPOUND_SURNAMES else value[1:]
        if given in self.NOT_GIVEN_NAMES or value in NOT_NAMES:
            return None
        return pattern_score
