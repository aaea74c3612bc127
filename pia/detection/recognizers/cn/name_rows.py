"""CN_NAME's names in an export without its header (``李娜,女,3502…,166…``): nothing labels
them, so a Han name that is a whole field of a delimited row counts only by the company it
keeps, another field of the row being a mobile, a resident ID or a UnionPay card
(``in_a_person_row``). The pattern's parts that find such a field are here too.
"""

from __future__ import annotations

import re

from pia.detection.checksums import luhn_valid, resident_id_check_valid

#: the delimiters of an export's rows (CSV, TSV, a pipe-separated log)
_ROW_DELIMITERS = ",\t|"
_QUOTES = "\"'"
#: a field that makes a row a person's record: a mobile, or what may be a resident ID or a
#: UnionPay card (its check digit is verified; an order number is as often Luhn-valid)
_PERSON_FIELD = re.compile(r"1[3-9][0-9]{9}|[1-9][0-9]{16}[0-9Xx]|62[0-9]{14,17}")


def _a_person_field(field: str) -> bool:
    if _PERSON_FIELD.fullmatch(field) is None:
        return False
    return (len(field) == 11 or (len(field) == 18 and resident_id_check_valid(field))
            or luhn_valid(field))


#: a field's start and end in a delimited row, quotes aside
FIELD_START = "(?:(?<=[\\n,\\t|])|(?<=[\\n,\\t|][\"'])|^|(?<=^[\"']))"
FIELD_END = "(?=[\"']?(?:[\\n,\\t|]|$))"


def in_a_person_row(text: str, start: int, end: int, line_start: int, line_stop: int) -> bool:
    """Whether ``text[start:end]`` is a whole field of a delimited row (``李娜,女,3502…,
    166…``) in which another field is a mobile number, a resident ID or a bank card: an
    export without its header names the person by the company the name keeps."""
    before = text[start - 1] if start > line_start else ""
    after = text[end] if end < line_stop else ""
    if before and before in _QUOTES:  # a quoted field: the delimiters stand outside
        if after != before:
            return False
        before = text[start - 2] if start - 1 > line_start else ""
        after = text[end + 1] if end + 1 < line_stop else ""
    delimiter = before or after
    if not delimiter or delimiter not in _ROW_DELIMITERS or after not in (delimiter, ""):
        return False
    fields = [field.strip(" " + _QUOTES) for field in text[line_start:line_stop].split(delimiter)]
    return len(fields) >= 2 and any(map(_a_person_field, fields))
