"""Whether a value is a point on the earth, and which names promise one.

A field or column named ``lat``, ``经纬度`` or ``定位`` holds precise location (PIPL 28's
行踪轨迹) when its values are degrees; a city, a switch (定位=开启) or a count under such a
name is none. A name for a record of where a person stayed or went (住宿记录, trajectory)
promises words instead, and is judged as any other name. Files and databases ask the same
questions here.
"""

from __future__ import annotations

import re

#: PRECISE_LOCATION's words for a point (degrees, or a switch: 定位=开启), as against a record
#: of where a person stayed or went (住宿记录, trajectory), which is words
COORDINATE_TERMS = frozenset({"经度", "纬度", "经纬度", "坐标", "定位", "latitude", "longitude",
                              "lat", "lng", "lon", "gps", "geo point", "geolocation",
                              "coordinates", "gps location"})

#: a number of degrees: a decimal fraction, a hemisphere or sign, or degrees and minutes
_DEGREES = (r"(?:[NSEW]\s*|[北南]纬|[东西]经)?[-+]?(\d{1,3})"
            r"(?:\.\d+\s*°?|\s*°\s*\d{1,2}(?:\.\d+)?\s*['′](?:\s*\d{1,2}(?:\.\d+)?\s*[\"″])?)"
            r"\s*[NSEW]?")
_COORDINATE = re.compile(_DEGREES, re.IGNORECASE)
_COORDINATES = re.compile(
    rf"(?:POINT\s*)?\(?\s*{_DEGREES}\s*(?:[,;/]\s*|\s+){_DEGREES}\s*\)?", re.IGNORECASE)
#: a number with no unit, as a database stores degrees (39.904211) or millionths of one
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def coordinate(value: str) -> bool:
    """A latitude or longitude (degrees with a fraction or minutes, at most 180) or a pair of
    them (at most one above 90)."""
    single = _COORDINATE.fullmatch(value)
    if single is not None:
        return int(single[1]) <= 180
    pair = _COORDINATES.fullmatch(value)
    if pair is None:
        return False
    degrees = sorted((int(pair[1]), int(pair[2])))
    return degrees[0] <= 90 and degrees[1] <= 180


def degree_value(value: str) -> bool:
    """A value a coordinate column holds: degrees as ``coordinate`` reads them, or a bare
    number (a column of integers in millionths of a degree)."""
    value = value.strip()
    return coordinate(value) or _NUMBER.fullmatch(value) is not None
