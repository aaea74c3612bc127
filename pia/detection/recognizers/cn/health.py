"""HEALTH: a diagnosis, a medical history or an allergy written as a record's field.

医疗健康信息 is sensitive personal information (PIPL 28), and logs and free-text columns
(备注, remark) hold it as fields: 病史：高血压, 过敏史=青霉素, 诊断结果: 2型糖尿病. Without NER
there is no telling a disease from any other phrase, so only the field of a medical label
counts, and the label must be one no other trade uses: 诊断 alone is also a system's
"diagnostics" (诊断：磁盘正常), and 病情 describes as often as it records. A field that says
there is nothing to record (无, 暂无, 否认, 不详, 正常) is no health information.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer

_HAN = "\u4e00-\u9fff"
#: labels that only ever introduce a medical record's field, in simplified and traditional
#: forms; the longest first, so that 既往病史 is tried before 病史
LABELS = tuple(sorted({
    "病史", "既往史", "既往病史", "现病史", "家族史", "家族病史", "过敏史", "药物过敏", "过敏原",
    "诊断结果", "临床诊断", "初步诊断", "入院诊断", "出院诊断", "门诊诊断", "确诊疾病", "所患疾病",
    "慢性病史", "传染病史", "手术史", "病歷", "既往病歷", "過敏史", "診斷結果", "臨床診斷",
    "初步診斷", "出院診斷",
}, key=lambda label: (-len(label), label)))
#: what such a field holds when it holds nothing: a negation, an unknown, a normal result
NOTHING = frozenset({
    "无", "無", "暂无", "暫無", "否", "否认", "否認", "不详", "不詳", "未知", "正常", "阴性", "陰性",
    "无特殊", "無特殊", "未见异常", "未見異常", "健康", "良好", "无异常", "無異常", "未填写", "待查",
})


class CnHealthRecognizer(PiaPatternRecognizer):
    ENTITY = "HEALTH"
    PRIORITY = 75
    PATTERNS = [
        # the field's value (病史：…, 病史=…, "病史": "…"): Chinese words, listed with 、or ，,
        # up to the field's end
        Pattern("health record in its label's field", f"(?=[{_HAN}0-9])(?:" + "|".join(
            [f"(?<={label}{separator})" for label in LABELS
             for separator in ("[：:=]", "[：:=] ", '":"', '": "')]) + ")"
                + f"[{_HAN}0-9]{{1,20}}(?:[、，,][{_HAN}0-9]{{1,20}}){{0,4}}(?![{_HAN}])", 0.6),
    ]
    CONTEXT = list(LABELS)
    CONTEXT_BEFORE = 8
    CONTEXT_AFTER = 0

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        if value in NOTHING or value.isdigit():
            return None
        return pattern_score
