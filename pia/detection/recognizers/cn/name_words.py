"""The word lists of the CN_NAME recognizer (``name.py``): surnames, the labels a name
follows, the words that follow one, and the common words and endings that are never names.

Data only, apart from the helpers that add each word's traditional form (Hong Kong, Taiwan
and Macau write 陳, 客戶, 聯繫人): the recognizer reads how a label and its value stand, and
these lists say which words are labels, surnames or look-alikes.
"""

from __future__ import annotations

from collections.abc import Sequence

#: simplified characters and their traditional forms, as pairs: the surnames, labels and
#: words of this module are also looked for in traditional form
_TRADITIONAL_PAIRS = (
    # surnames
    "刘劉 陈陳 杨楊 黄黃 赵趙 吴吳 孙孫 马馬 罗羅 郑鄭 谢謝 许許 韩韓 冯馮 邓鄧 蒋蔣 叶葉 苏蘇 "
    "吕呂 卢盧 钟鍾 谭譚 陆陸 贾賈 韦韋 邹鄒 闫閆 龙龍 贺賀 顾顧 龚龔 万萬 钱錢 严嚴 汤湯 温溫 "
    "齐齊 乔喬 庞龐 颜顏 庄莊 聂聶 鲁魯 欧歐 关關 兰蘭 宁寧 纪紀 毕畢 单單 骆駱 蓝藍 鲍鮑 华華 "
    "饶饒 阳陽 时時 农農 缪繆 简簡 车車 项項 连連 芦蘆 麦麥 娄婁 窦竇 党黨 费費 卫衛 应應 闵閔 "
    "邬鄔 边邊 师師 栾欒 荣榮 丛叢 巩鞏 迟遲 邝鄺 谈談 荆荊 乐樂 储儲 劳勞 谌諶 蔺藺 楼樓 盘盤 "
    "满滿 闻聞 厉厲 区區 阚闞 权權 强強 帅帥 盖蓋 练練 丰豐 国國 计計 晋晉 门門 云雲 来來 阙闕 "
    "乌烏 况況 鲜鮮 诸諸 战戰 银銀 宾賓 阴陰 尧堯 闭閉 张張 东東 长長 轩軒 辕轅 独獨 宫宮 "
    # labels, next words and guard words
    "户戶 联聯 系繫 络絡 货貨 请請 负負 责責 经經 办辦 监監 护護 险險 担擔 开開 称稱 员員 创創 "
    "审審 处處 签簽 诊診 医醫 买買 卖賣 会會 学學 话話 电電 机機 证證 购購 别別 龄齡 约約 领領 "
    "认認 绑綁 转轉 账帳 现現 访訪 评評 确確 删刪 传傳 载載 变變 间間 预預 录錄 诉訴 询詢 级級 "
    "线線 务務 统統 备備 据據 优優 选選 质質 态態 价價 码碼 额額 问問 层層 辆輛 图圖 书書 页頁 "
    "邮郵 乡鄉 镇鎮 场場 厅廳 队隊 组組 网網 类類 县縣 饭飯 铁鐵 号號 馆館 厂廠 业業 汇匯 尔爾 "
    "实實 规規 币幣 宝寶 润潤 硕碩 达達 捞撈 鸭鴨 妈媽 焖燜 锦錦 记記 鱼魚 调調 顺順 "
    "细細 围圍 际際 为為 讯訊 亿億 庆慶 岭嶺 汉漢 滨濱 冈岡 浔潯 济濟 广廣 赣贛 湾灣 烟煙 渔漁 "
    "盐鹽 岛島 郸鄲 杂雜 鸡雞 猪豬 虾蝦 面麵 粮糧 订訂 写寫 显顯"
)
_TO_TRADITIONAL = {pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split()}


def traditional(text: str) -> str:
    """``text`` with the simplified characters of ``_TO_TRADITIONAL`` in traditional form."""
    return "".join(_TO_TRADITIONAL.get(ch, ch) for ch in text)


def _with_traditional(words: Sequence[str]) -> tuple[str, ...]:
    """``words``, each followed by its traditional form where that differs."""
    return tuple(dict.fromkeys(form for word in words for form in (word, traditional(word))))


def _words(text: str) -> frozenset[str]:
    """The words of ``text``, split at white space."""
    return frozenset(text.split())


#: The most common single-character surnames (about 96% of the population), then their
#: traditional forms (with 蕭 for 肖, 閻 for 闫 and 鐘 for 钟, as Hong Kong and Taiwan write them).
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
SINGLE_SURNAMES += "".join(dict.fromkeys(
    ch for ch in traditional(SINGLE_SURNAMES) + "蕭閻鐘" if ch not in SINGLE_SURNAMES))
COMPOUND_SURNAMES = _with_traditional((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "第五",
))

#: staff named by their role, as logs and tickets name who served (客服：王芳, 业务员 李娜):
#: name labels and field labels both. Not 销售 (销售 金额), and never a role glued to a name
#: (客服经理已回复, 快递员师傅 start nouns)
_STAFF_ROLES = ("客服", "客服专员", "业务员", "销售员", "营业员", "收银员", "导购员", "坐席", "司机",
                "理财经理", "业务经理")

#: labels that only ever introduce a person: a word after one and a space is its value
NAME_LABELS = _with_traditional((
    "姓名", "名字", "联系人", "联络人", "持卡人", "收货人", "收件人", "寄件人", "签收人", "取件人",
    "申请人", "户主", "法人", "法人代表", "法定代表人", "负责人", "经办人", "监护人", "投保人",
    "被保险人", "受益人", "借款人", "担保人", "开户人", "开户名", "户名", "用户名", "客户名",
    "客户名称", "客户经理", "操作人", "操作员", "创建人", "审核人", "审批人", "处理人", "就诊人",
    "付款人", "收款人", "配偶", "配送员", "快递员", "骑手", "车主", "入住人", "预订人", "我叫",
    "我是", *_STAFF_ROLES,
    "name", "holder", "contact", "consignee", "receiver", "recipient", "xm", "xingming",
    "user", "username", "མིང", "མིང་།"))
#: labels that also name who did something (用户 登录 成功, 客户 取消 订单, 乘客 投诉), in
#: Chinese and as English writes them before a Han name (Customer 王芳 called us, member 李伟
#: asked for a refund): after a space, a word is their value only when a common next word
#: follows it (``FOLLOWERS``, ``ENGLISH_FOLLOWERS``)
SUBJECT_LABELS = _with_traditional((
    "客户", "用户", "会员", "乘客", "住客", "患者", "学生", "员工", "医生", "家长", "买家",
    "customer", "client", "member", "passenger", "guest", "patient", "student", "employee",
    "buyer"))
#: labels whose value is as often no person (客户名称：海尔, name=徐汇区, a login's user=管理员):
#: it counts only when it looks like a person's name
AMBIGUOUS_LABELS = _with_traditional(("客户名称", "客户名", "name", "user", "username"))
#: labels after which a name may follow without a separator: they introduce a person and
#: rarely start a longer noun (客户 does: 客户端, 客户经理)
PERSON_LABELS = _with_traditional((
    "姓名", "联系人", "联络人", "持卡人", "收货人", "收件人", "寄件人", "签收人", "取件人", "申请人",
    "户主", "法人", "乘客", "住客", "患者", "法定代表人", "负责人", "经办人", "监护人", "投保人",
    "被保险人", "受益人", "借款人", "担保人", "开户人", "开户名", "就诊人", "付款人", "收款人",
    "配偶", "车主", "入住人", "预订人"))
#: how people introduce themselves (我叫李娜，我是王芳), among the name labels: a name glued to
#: them counts when it ends the word (我是客服, 我是来咨询的 hold no name), and a name never
#: runs on into the text after them
INTRODUCTIONS = ("我叫", "我是")
#: labels after which any name is the field's value, whatever its shape: a name without a
#: Han surname (次仁卓玛, 扎西, 阿依古丽·买买提, 买买提·艾力) counts after one and its separator.
#: Labels whose value is as often a company or a platform (收款人, 开户名, 法人) are not here.
WHOLE_NAME_LABELS = _with_traditional((
    "姓名", "名字", "联系人", "联络人", "持卡人", "收货人", "收件人", "寄件人", "签收人", "取件人",
    "申请人", "户主", "法定代表人", "负责人", "经办人", "监护人", "投保人", "被保险人", "受益人",
    "借款人", "担保人", "就诊人", "配偶", "车主", "入住人", "预订人"))
#: words that say a label's value is what follows (联系人为张三, 收货人修改为李四, 收件人写的是
#: 王建华): after a label of ``PERSON_LABELS`` and one of them, glued or past a colon or an
#: opening quote (联系人为：张三, 姓名改为"王芳"), a name counts as if glued to the label.
#: Longest first, so that 修改为 is read whole and not as 为
COPULAS = tuple(sorted(_with_traditional((
    "为", "是", "叫", "写的是", "填的是", "填写的是", "变更为", "修改为", "更改为", "更新为", "改为",
    "登记为", "显示为")), key=len, reverse=True))
#: labels a field's value follows after ：, : or = (姓名：张三, 客户:李四办理…)
FIELD_LABELS = _with_traditional((
    "姓名", "客户", "用户", "会员", "联系人", "联络人", "持卡人", "收货人", "收件人", "寄件人",
    "签收人", "取件人", "申请人", "户主", "法人", "乘客", "住客", "患者", "学生", "员工", "医生",
    "家长", "买家", "法定代表人", "负责人", "经办人", "监护人", "投保人", "被保险人", "受益人",
    "借款人", "担保人", "开户人", "开户名", "操作人", "就诊人", "付款人", "收款人", "配偶",
    "车主", "入住人", "预订人",
    # staff by their role (客服：王芳已回复), those among the name labels above too
    *_STAFF_ROLES, "客户经理", "操作员", "配送员", "快递员", "骑手"))
#: head words of ``…Name``/``…_name`` keys that name a person (``receiverName``,
#: ``real_name``, ``card_holder_name``): their value counts as any name label's does
PERSON_KEYS = _words("""
    real full true first last given family middle legal person user cust customer contact
    contacts linkman link receiver recipient consignee sender buyer holder cardholder owner
    payer payee patient student stu parent guardian spouse mother father child emp employee
    staff worker member applicant operator oper creator create update modify auditor audit
    approver approve handler agent manager leader driver doctor nurse teacher passenger guest
    visitor insured beneficiary borrower guarantor signer account acct author""")
#: head words of ``…Name`` keys that name a thing, a place or an organisation (``skuName``,
#: ``cityName``, ``bank_name``, ``signName``, an SMS signature): their value is no name
THING_KEYS = _words("""
    sku spu color colour size spec attr prop model style city province prov district county
    area region street town village country nation addr address place poi location site
    building room station store shop mall market merchant mch vendor supplier brand sign
    template tpl product prod goods good item material warehouse bank branch dept department
    company corp org organization organisation unit school college university hospital hotel
    category cat class file app application group role level tag type status state project
    proj host server service domain table column field key sheet queue topic bucket env course
    subject major exam award job task event menu dish food device plan activity coupon package
    pkg module method image img pic icon logo font title label page channel platform series
    version chain fund stock biz business industry team club game scene venue campaign scheme""")
#: what a name is often followed by in running text: what the person did, a title, or the
#: next field. A name run into anything else is not found (there is no telling where the
#: given name ends).
FOLLOWERS = _with_traditional((
    "购买", "下单", "支付", "付款", "办理", "申请", "提交", "登录", "注册", "预约", "入住",
    "退房", "签收", "投诉", "咨询", "来电", "取消", "退款", "充值", "提现", "转账", "绑定",
    "解绑", "修改", "认证", "领取", "完成", "先生", "女士", "同学", "电话", "手机", "身份证",
    "地址", "性别", "年龄", "已", "于", "在", "的", "和", "删除", "确认", "使用", "访问", "评价",
    "发起", "退出", "打卡", "上传", "下载", "变更", "更新", "工号", "证件"))
#: what a name is followed by in an English sentence, after a space: what the person did
#: (Customer 王芳 called us today, member 李伟 asked for a refund). As with ``FOLLOWERS``, a
#: Han word after an English subject label and a space counts only before one of them
#: (member 平安 branch, Customer 高级 priority hold none)
ENGLISH_FOLLOWERS = _words("""
    called calls asked asks ordered orders placed bought buys purchased paid pays requested
    requests complained complains reported reports said says wrote writes replied emailed
    phoned contacted visited booked cancelled canceled submitted signed registered logged
    applied opened closed changed updated confirmed received returned redeemed claimed
    disputed rated reviewed checked transferred withdrew topped deleted uploaded wants wanted
    needs needed has had is was will would did who""")
#: what a person did, among the next words: a name glued to a subject label must run into one
#: (用户王芳下单, 客户张三已购买), as 用户 and 客户 start common nouns too (用户名, 客户端)
ACTIONS = tuple(word for word in FOLLOWERS if len(word) > 1 and word not in _with_traditional((
    "先生", "女士", "同学", "电话", "手机", "身份证", "地址", "性别", "年龄")))
#: when a person did something, said right after a name glued to a subject label (会员王芳于
#: 2026-08-13下单, 用户李伟在昨天登录): one of these words (于, its traditional 於, 在), then a
#: digit of a date or time or one of ``TIMES``. Like an action, it says the word before it is
#: someone who acted (会员周年庆于…, 客户方面于… stay common words)
WHEN_WORDS = "于於在"
TIMES = _with_traditional((
    "今天", "昨天", "前天", "今日", "昨日", "当天", "当日", "當天", "當日", "上午", "下午", "中午",
    "晚上", "凌晨", "早上", "近日", "本月", "上月"))
#: subject labels a name may be glued to, when an action follows it (``ACTIONS``)
GLUED_SUBJECTS = tuple(label for label in SUBJECT_LABELS
                       if label not in PERSON_LABELS and not label.isascii())
#: titles written right after a full name (张三先生, 李娜女士, 王建国同志, 赵敏小姐): they
#: label the name from behind, with no label before it. A surname and a title alone (李女士,
#: 王先生) name no one in particular, and are never reported. 老师, 医生 and 经理 are not
#: here: what stands before them is as often a subject, a department or a role that starts
#: with a surname (游泳老师, 吉他老师, 任课老师, 全科医生, 客户经理)
TITLES = ("先生", "女士", "小姐", "同志")
#: what may stand right before a name with its title, besides a character that is not
#: Chinese: a salutation (尊敬的张三先生, 致王建国同志). A subject label a name may be glued
#: to (``GLUED_SUBJECTS``: 客户张三先生来电) opens one too
TITLE_OPENERS = ("尊敬的", "亲爱的", "親愛的", "致")
#: what a name's title may run into: you (张三先生您好) or what the person did (李娜女士来电,
#: 王芳女士已签收, ``ACTIONS``), besides anything that is not a Chinese character. Nothing
#: else: 时尚女士手表 is a product, and 的 is left out (时尚女士的首选)
TITLE_ADDRESSEES = "您你"
#: one-character given names that are none before a title (王老先生: old Mr Wang; 张某先生)
NOT_GIVEN_BEFORE_A_TITLE = frozenset("老某总氏")
#: words before a title that are no name: how an advertisement describes its women (时尚女士,
#: 韩版女士 for the ladies' cut), who a notice addresses (全体同志, 那位先生) and bodies
#: (公安同志). Only before a title: elsewhere some of them are names (姓名：高贵)
TITLE_LOOK_ALIKES = frozenset(_with_traditional(sorted(_words("""
    时尚 高档 韩版 韩式 欧版 简约 商务 成熟 高贵 华贵 温柔 苗条 丰满 高挑 修身 羊毛 羊绒
    牛仔 皮质 毛呢 平底 高跟 单肩 夏装 夏款 全体 那位 公安 武警 党委"""))))
#: surnames that are also everyday words (向银行申请, 于是, 全部取消, 单笔支付, 成功办理): a name
#: run into the text never starts with them
WORDLIKE_SURNAMES = "向于和全单成时常都尚由單時"
#: words that start with a surname character and are what labels are usually followed by
#: instead of a name: what a user did, a tier, type, role, grade, place or thing. A
#: three-character value starting with one (管理员, 程序员, 支付宝) is no name either.
_COMMON_WORD_GROUPS = (
    # what a user did, or what an operation did
    "修改 修复 修正 申请 申报 申诉 支付 支持 付款 付费 管理 查询 查看 查找 查验 解绑 解锁 解除 "
    "解析 解决 解冻 关闭 关联 关注 关于 成功 成交 连接 应用 应答 应收 应付 计算 计费 计划 展示 "
    "展开 安装 安排 呼叫 勾选 封禁 封号 盘点 宣传 居住 全选 包含 包括 相关 来电 来访 来源 谢谢",
    # how it went, how things are
    "常规 满意 满员 满额 严重 危险 安全 冷却 全部 全额 全国 全新 平均 普通 高级 初级 原始 原价 "
    "原因 明细 明确 强制 常用 常见 简单 齐全 丰富 幸运 智能",
    # questions after 为 or 是 (联系人为何时, 收货人为何人: "why"), display spaces
    "何人 何时 何处 何事 何种 何地 何方 何故 陈列",
    # tiers
    "金卡 银卡 白金 黄金 金牌 银牌 普卡 金币",
    # roles, kinds of customer
    "游客 成人 成年 顾客 顾问 司机 师傅 董事 干部 党员 居民 商户 商家 商人 农民 明星 白领 蓝领 程序 "
    "房东 房客 房主 车主 全职 单身 高手 文员 路人 常客 应届",
    # things and money
    "国内 国际 国外 海外 单位 单号 公司 平台 银行 银联 花呗 白条 信用 信息 利率 利息 费用 费率 "
    "余额 余量 金额 钱包 商品 商城 门店 项目 位置 文件 文本 文档 文字 路径 路由 云端 云盘 区域 "
    "区号 楼层 方式 方法 方案 方向 权限 权益 颜色 温度 容量 车型 车辆 房间 房号 左侧 左边",
    # school years, times
    "高一 高二 高三 初一 初二 初三 高中 高考 高校 高管 高端 高清 高速 高危 高频 高温 "
    "周一 周二 周三 周四 周五 周六 周日 周末 周年 周期 季度 时间 时长 时段",
    # provinces, cities that could be no one's name, regions, countries
    "江苏 江西 安徽 吉林 海南 云南 甘肃 宁夏 南京 南昌 武汉 成都 苏州 杭州 郑州 沈阳 温州 宁波 "
    "常州 徐州 兰州 银川 柳州 桂林 惠州 梅州 宿州 荆州 万州 海口 海淀 包头 华东 华南 华北 华中 "
    "韩国 欧洲 欧美 印度 巴西",
    # prefecture-level cities, county towns and city districts that start with a surname
    "邵阳 常德 岳阳 衡阳 唐山 邢台 衡水 阳泉 晋城 晋中 吕梁 乌海 盘锦 白山 白城 伊春 南通 宿迁 "
    "金华 安庆 黄山 池州 宣城 南平 龙岩 宁德 吉安 安阳 焦作 许昌 南阳 商丘 信阳 周口 黄石 荆门 "
    "黄冈 娄底 江门 阳江 揭阳 云浮 南宁 玉林 贺州 来宾 乐山 南充 巴中 安顺 毕节 曲靖 玉溪 普洱 "
    "安康 商洛 金昌 白银 武威 张掖 平凉 吴忠 高雄 常熟 江阴 余姚 海宁 诸暨 乐清 晋江 石狮 龙口 "
    "荣成 章丘 哈尔滨 张家口 张家界 石家庄 秦皇岛 连云港 马鞍山 景德镇 平顶山 石嘴山 "
    "徐汇 黄浦 杨浦 丰台 金山 闵行 普陀 浦东 房山 平谷 海珠 白云 黄埔 花都 南山 罗湖 龙岗 龙华 "
    "余杭 江干 武侯 金牛 成华",
    # what a client's, member's or student's record says: a service, a state, an operation
    "申购 申领 申赎 查单 查账 查收 查阅 解约 解封 解散 包月 包年 包季 包天 包邮 包裹 包装 支取 "
    "支出 付清 付讫 付息 关单 关停 关机 毕业 成立 成员 储值 储蓄 余款 全款 展期 计息",
    # well-known companies and brands (a client, a shop, a product)
    "华为 万科 海尔 苏宁 国美 万达 龙湖 平安 华润 蒙牛 伊利 茅台 海信 康佳 方太 戴尔 华硕 索尼 "
    "夏普 安踏 屈臣氏 万宁 华联 申通 吉利 丰田 路虎 马自达 王老吉 海底捞 麦当劳 华住 万豪 农行 "
    "浦发 华夏 花旗 阿里 金山 金蝶 万家乐 金龙鱼 马应龙 周大福 周生生 周黑鸭 谢瑞麟 钱大妈 卫龙 "
    "海天 李锦记 鲁花 胡姬花 荣耀 惠普 谷歌 高通 海康 商汤 欧莱雅 兰蔻 海飞丝 舒肤佳 蓝月亮 齐心 "
    "燕京 牛栏山 古井 江小白 富力 金地 金茂 华侨城 华泰 海澜 利郎 东方财富 高德",
    # what stands between a subject label and its verb (用户连续登录, 用户原路退款, 员工晋升申请)
    "连续 原路 公开 强行 马上 曾经 应该 应当 方可 明天 明日 凌晨 白天 平时 安卓 蓝牙 平板 官网 麦克风 "
    "简历 门卫 公寓 公积金 花名册 晋升",
    # things a bare name key holds: food, transport
    "高铁 牛奶 牛排 羊排 白酒 黄瓜 花生 包子 豆腐 豆浆 白糖 米粉 米线 车厘子 龙虾 鲍鱼 花卷 "
    "汤圆 毛巾 朱砂 白加黑 东方明珠",
    # everyday words a contact field holds instead of a name (联系人：方便, 姓名：任意)
    "任意 任何 方便 高兴 夏天 夏季 叶子 江湖 施工 常年 田园 雷雨 文明 文化 安静 安心 宁静",
    # what a subject label forms nouns with (客户方面, 会员章程, 客户关怀, 患者康复, 乘客安检),
    # and a street (王府井)
    "方面 章程 关怀 康复 安检 王府",
    # what a role's field holds in a ticket or a roster when no one is named (客服：全天,
    # 司机：白班, 坐席：任务), and words such a field is mistaken for
    "任务 全体 全天 全程 周报 白班 车牌 王牌 王者 宋体 林业 吴语 何必 高效 孙子",
)
COMMON_WORDS = frozenset(_with_traditional(
    [word for group in _COMMON_WORD_GROUPS for word in group.split()]))
#: nouns that start with a surname character and often follow a person label or a
#: 姓名/name field (联系人关系, 申请人单位, 持卡人信息), and the common words above
NOT_NAMES = COMMON_WORDS | frozenset(_with_traditional([
    "信息", "关系", "单位", "公司", "国籍", "平台", "区域", "银行", "车辆", "房间", "房号",
    "文件", "权限", "来源", "余额", "金额", "管理", "时间", "明细", "安全", "满意度", "成功",
    "查询", "列表", "于是", "方式", "姓名", "数量", "类型", "代表", "证件", "资料", "住址",
    "全部", "单笔",
]))
#: characters no given name ends with: a value ending in one is a place, a food, a colour,
#: a number or a business word (徐汇区, 牛肉, 米饭, 金色, 申购, 查单)
_THING_ENDS = "区县市省街巷肉饭菜汤粥色号码店馆厂部局厅司购单约款账费票货订询额率价卡鸡鸭室"
THING_ENDINGS = frozenset(_THING_ENDS + traditional(_THING_ENDS))
#: characters a person's name rarely ends with, though some do: a value of an ambiguous
#: label (a bare ``name``, 客户名称) that ends in one is a thing (米饭, 金龙鱼, 万家乐园)
_RARE_ENDS = ("路村镇科院所室站场队组鱼酒奶茶糖油米面粉蛋瓜果豆包衣裤鞋帽车机器板盒瓶袋桶罐线网台"
              "楼园湖岛港湾门桥城州")
NOT_A_GIVEN_NAME_END = THING_ENDINGS | frozenset(_RARE_ENDS + traditional(_RARE_ENDS))

#: the middle dots between the parts of a transliterated name (阿依古丽·买买提)
NAME_DOTS = "·•・"
#: what a whole-name label holds when it holds no name: a blank form's word, a relation, a
#: role, a title (姓名：未填写, 联系人：本人, 收货人：前台, 姓名：先生). With any value that ends
#: like a place or a thing, that starts like a blank form's word or holds a title, a next
#: word or a character of prose, they keep a value without a Han surname from counting.
NOT_WHOLE_NAMES = frozenset(_with_traditional((
    "未填写", "未知", "不详", "暂无", "保密", "匿名", "本人", "同上", "待定", "先生", "女士", "小姐",
    "测试", "客户", "用户", "买家", "卖家", "客服", "家属", "亲属", "父亲", "母亲", "丈夫", "妻子",
    "老公", "老婆", "儿子", "女儿", "朋友", "同事", "前台", "物业", "门卫", "保安", "快递柜", "代收点",
    "驿站", "男性", "女性", "必填", "选填", "签名", "签字", "盖章", "如下", "以下", "其他", "其它",
    "默认", "系统", "自己", "无名氏", "空白", "隐藏", "已隐藏", "脱敏", "已脱敏", "新手", "兼职",
    "宝妈", "家长", "业主", "租客", "学生", "老师", "医生", "护士", "司机", "骑手", "快递员", "配送员",
    "外卖员", "工作人员", "负责人", "联系人", "收货人", "持卡人", "申请人", "姓名", "名字", "性别")))
#: the characters of names written in Chinese by their sound: Tibetan (次仁卓玛, 洛桑丹增),
#: Uyghur and Kazakh (阿依古丽·买买提, 努尔兰), Mongolian (巴特尔, 其木格) and the Xinhua
#: transliteration of foreign names (玛丽·安, 约翰逊). A whole-name field's value that starts
#: like a Han name but is longer than one (方便时回电, 常年有效, 司马光明天到) counts only when
#: it is written in these alone.
_TRANSLITERATION = (
    # Tibetan
    "扎西次仁卓玛多吉顿珠格桑央金拉姆平措旺堆索朗尼达瓦白德曲珍边巴普布米旦丹增洛强益土登贡罗琼"
    "嘎宗庆美朵阿杰加嘉坚赞才让完公保东群欧晋降泽斯南玉仓决鲁觉吾秋色"
    # Uyghur, Kazakh
    "依古丽买提艾力热合曼努尔不都迪帕克木吐逊明卜杜里肯素甫穆罕默吾沙夏麦别亚森肉孜乃则娜妮莎萨伊坎"
    "苏尤汗江兰叶哈纳什塔"
    # Mongolian
    "特其图雅那日琴额敦宝音朝和勒高娃呼敖孟坦乌包来满门"
    # Xinhua transliteration of foreign names
    "帕卡察埃贝佩盖凯策塞谢赫韦耶莱梅内比皮蒂基齐奇希维利奥博波托戈科佐乔肖霍沃约莫诺库祖楚舒胡武"
    "卢厄伯珀兹茨夫恩安班潘甘赞灿尚汉万扬昂邦庞当唐冈康藏杭芒农因宾丁廷京津钦辛欣温林宁英翁蓬通"
    "孔松雄洪文云伦蒙嫩翰瑟琳莉露黛娅珊蕾薇芙丝琪菲弗福"
)
TRANSLITERATION = frozenset(_TRANSLITERATION + traditional(_TRANSLITERATION) + "瑪麥熱買")
#: how a blank form's word starts (未提供, 无, 暂未填写, 不详, 请输入, 见附件, 详见备注, 同上, 待补充)
BLANK_STARTS = frozenset("未无暂不请见详同待空略" + "見詳")
#: words a name never holds: titles, and the next words that follow one (王小明先生, 张三已签收)
NOT_IN_A_NAME = tuple(dict.fromkeys(_with_traditional((
    "先生", "女士", "小姐", "老师", "经理", "师傅", "总监", "主任", "医生", "护士", "同学", "阿姨",
    "叔叔", "老板", "某某"))
    + tuple(word for word in FOLLOWERS if len(word) > 1)))
#: particles no given name holds (我叫车了, 姓名：王的)
PARTICLES = frozenset("的了吗呢吧啊呀嘛么" + "嗎")
#: characters of prose no transliterated name holds (请输入您的姓名, 填写了)
PROSE_IN_A_VALUE = frozenset("的了是我你您他她们这那吗呢吧啊请和与或及等填写输入" + "們這嗎與輸")

#: the syllables of Mandarin in pinyin without tones (ü as v, and lyu): a name written in
#: pinyin (Wang Fang, ZHANG Xiaoming) is made of them and of nothing else
PINYIN_SYLLABLES = _words("""
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chuai chuan
    chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei deng di
    dian diao die ding diu dong dou du duan dui dun duo en eng er fa fan fang fei fen feng fo
    fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
    hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian
    jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou
    ku kua kuai kuan kuang kui kun kuo la lai lan lang lao lei leng li lia lian liang liao lie
    lin ling liu long lou lu luan lun luo lv lyu ma mai man mang mao mei men meng mi mian miao
    mie min ming miu mo mou mu na nai nan nang nao nei nen neng ni nian niang niao nie nin ning
    niu nong nou nu nuan nuo nv ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping
    po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren
    reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
    shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan
    sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
    xue xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun za zai zan zang zao ze zei
    zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan
    zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo""")
#: the common surnames as pinyin spells them (the first 200 of ``SINGLE_SURNAMES``, 曾 as
#: Zeng, 单 as Shan, 解 as Xie), and the compound ones
PINYIN_SURNAMES = _words("""
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye
    cheng su wei lv lyu ding ren shen yao lu cui zhong tan fan jin shi liao jia xia fu fang bai
    zou meng xiong qin qiu yin xue yan duan lei hou long tao gu mao hao gong shao wan qian dai
    mo kong xiang chang wen kang niu ge xing an qi yi qiao pang ni zhuang nie yue di zhan ou
    geng guan lan jiao zuo gan bao ning shang shu ruan ke ji mei tong ling bi shan pei huo tu
    miao sheng qu weng ran you xin chai hua pu teng rao mou ai mu nong si zhuo jian che lian
    mai chu lou dou
    ouyang sima shangguan zhuge dongfang huangfu situ murong zhangsun linghu xiahou""")
