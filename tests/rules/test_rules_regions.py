"""Region → jurisdiction: Hong Kong, Macao and Taiwan are outside the mainland; unknown stays
unknown."""

from __future__ import annotations

import pytest

from pia.rules.regions import jurisdiction


@pytest.mark.parametrize(
    ("region", "provider", "expected"),
    [
        ("cn-north-1", None, "mainland"),          # AWS Beijing
        ("cn-northwest-1", None, "mainland"),      # AWS Ningxia
        ("ap-east-1", None, "hmt"),                # AWS Hong Kong
        ("ap-southeast-1", None, "overseas"),      # AWS Singapore (the S3 default)
        ("eu-central-1", None, "overseas"),
        ("oss-cn-hangzhou", None, "mainland"),     # Aliyun
        ("oss-cn-hongkong", None, "hmt"),
        ("cn-hongkong", None, "hmt"),
        ("oss-ap-southeast-1", None, "overseas"),
        ("ap-beijing", None, "mainland"),          # Tencent COS
        ("ap-hongkong", None, "hmt"),
        ("ap-taipei", None, "hmt"),
        ("ap-singapore", None, "overseas"),
        ("cn-north-4", None, "mainland"),          # Huawei OBS
        ("ap-southeast-1", "huawei", "hmt"),       # Huawei's ap-southeast-1 is Hong Kong
        ("ap-southeast-3", "huawei", "overseas"),
        (" CN-NORTH-1 ", None, "mainland"),
        ("moon-base-1", None, "unknown"),
        ("", None, "unknown"),
        (None, None, "unknown"),
    ],
)
def test_jurisdiction(region, provider, expected) -> None:
    assert jurisdiction(region, provider) == expected
