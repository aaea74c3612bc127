"""Defects found by an end-to-end audit of a whole estate: each case is one rule over the facts
and inventory a real scan gave (names changed), through ``rulecases.run_case``."""

from __future__ import annotations

from tests.rules.rulecases import run_case

ASSETS_DB = {"id": "legacy-members", "source": "mysql://db/legacy",
             "pi_categories": ["CN_NAME", "CN_RESIDENT_ID"],
             "retention": {"period": "P3Y", "timestamp_column": "zc_sj"}}
LOG_POLICY = {"min_retention_days": 180, "max_pi_retention_days": 365}


def _findings(rule_id, case):
    return [f for f in run_case(rule_id, case).findings if f["rule_id"] == rule_id]


def test_over_retention_of_a_table_shows_its_pi_and_its_own_limit() -> None:
    loc = {"database": "legacy", "table": "huiyuan"}
    case = {
        "declaration": {"version": 1, "assets": [ASSETS_DB], "log_policy": LOG_POLICY},
        "inventory": [{"source": "mysql://db/legacy", "location": {**loc, "column": c},
                       "entity_type": e} for c, e in (("xm", "CN_NAME"),
                                                      ("sfzh", "CN_RESIDENT_ID"))],
        "facts": [{"kind": "column", "source": "mysql://db/legacy",
                   "location": {**loc, "column": "zc_sj"},
                   "attributes": {"oldest": "2012-01-29T00:00:00"}}],
    }
    (finding,) = _findings("PIPL-19-OVER-RETENTION", case)
    ev = finding["evidence"]
    assert (ev["pi_items"], ev["entity_types"]) == (2, ["CN_NAME", "CN_RESIDENT_ID"])
    assert ev["retention_days"] == 1095 and "max_pi_retention_days" not in ev
    assert ev["rows_past_period"].startswith("not counted")


def test_over_retention_of_a_log_file_keeps_the_log_policy_limit() -> None:
    case = {
        "declaration": {"version": 1, "assets": [{"id": "app-logs", "source": "logs"}],
                        "log_policy": LOG_POLICY},
        "inventory": [{"source": "logs", "location": {"path": "logs/app/a.log.gz"},
                       "entity_type": "CN_MOBILE"}],
        "facts": [{"kind": "file", "source": "logs", "location": {"path": "logs/app/a.log.gz"},
                   "attributes": {"path": "logs/app/a.log.gz", "oldest": "2025-08-01T00:00:00Z",
                                  "is_log": True}}],
    }
    (finding,) = _findings("PIPL-19-OVER-RETENTION", case)
    assert finding["evidence"]["max_pi_retention_days"] == 365
    assert finding["evidence"]["pi_items"] == 1 and "rows_past_period" not in finding["evidence"]


def test_retention_declared_takes_the_log_policy_for_a_log_asset() -> None:
    logs = {"id": "app-logs", "source": "logs"}
    item = {"source": "logs", "location": {"path": "logs/app/app.log"}, "entity_type": "CN_MOBILE"}
    with_policy = {"declaration": {"version": 1, "assets": [logs], "log_policy": LOG_POLICY},
                   "inventory": [item]}
    assert _findings("PIPL-17-RETENTION-DECLARED", with_policy) == []
    without = {"declaration": {"version": 1, "assets": [logs]}, "inventory": [item]}
    assert len(_findings("PIPL-17-RETENTION-DECLARED", without)) == 1


def test_retention_declared_once_for_a_bucket_asset() -> None:
    kyc = {"id": "kyc-images", "source": "s3://shop-kyc"}
    case = {
        "declaration": {"version": 1, "assets": [kyc], "log_policy": LOG_POLICY},
        "inventory": [{"source": "s3://shop-kyc", "location": {"bucket": "shop-kyc",
                                                                "key": "face/1_face.jpg"},
                       "entity_type": "BIOMETRIC"}],
        "facts": [{"kind": "bucket", "source": "s3://shop-kyc", "location": {"bucket": "shop-kyc"},
                   "attributes": {"lifecycle": []}}],
    }
    (finding,) = _findings("PIPL-17-RETENTION-DECLARED", case)
    assert finding["locations"] == [] and finding["evidence"]["asset"] == "kyc-images"
    assert _findings("PIPL-17-RETENTION-LIFECYCLE", case) == []
    # with a period declared, the bucket that enforces none is the finding, and its title
    # does not say that no period is defined (it did, under PIPL-17-RETENTION-DECLARED)
    case["declaration"]["assets"] = [{**kyc, "retention": {"period": "P1Y"}}]
    assert _findings("PIPL-17-RETENTION-DECLARED", case) == []
    (finding,) = _findings("PIPL-17-RETENTION-LIFECYCLE", case)
    assert finding["locations"] == [{"bucket": "shop-kyc"}]
    assert finding["evidence"]["retention_days"] == 365


def test_pia_trigger_for_an_asset_observed_overseas_without_a_declared_transfer() -> None:
    case = {
        "declaration": {"version": 1, "assets": [{"id": "analytics-sg",
                                                  "source": "s3://analytics-sg"}],
                        "activities": [{"id": "stats", "purpose": "统计",
                                        "legal_basis": "consent"}]},
        "inventory": [{"source": "s3://analytics-sg", "location": {"bucket": "analytics-sg",
                                                                    "key": "e/1.jsonl"},
                       "entity_type": "CN_MOBILE"}],
        "facts": [{"kind": "bucket", "source": "s3://analytics-sg",
                   "location": {"bucket": "analytics-sg"},
                   "attributes": {"region": "ap-southeast-1", "jurisdiction": "overseas"}}],
    }
    assert len(_findings("PIPL-55-PIA-TRIGGER", case)) == 1
    case["facts"][0]["attributes"] = {"region": "cn-north-1", "jurisdiction": "mainland"}
    assert _findings("PIPL-55-PIA-TRIGGER", case) == []
