"""An empty sample is no masked value: pia masks values it found, and none is empty, so a
bundle whose item says ``samples: ['']`` lost the value it should have shown masked (QA: a
name of full-width digits gave one, and ``samples-masked`` passed it as "nothing but
stars")."""

from __future__ import annotations

import copy

import pytest
from bundle_helpers import resign

from pia.bundle import fingerprint, load_public_key, verify_bundle
from pia.bundle.create import REPORT
from pia.bundle.masked import is_masked
from pia.report import dumps, summarize


@pytest.mark.parametrize("entity", ["CN_MOBILE", "CN_RESIDENT_ID", "CREDENTIAL", ""])
def test_an_empty_sample_is_not_masked(entity) -> None:
    assert not is_masked(entity, "")
    assert is_masked(entity, "********")  # stars alone still say only a length


@pytest.mark.parametrize("where", ["inventory", "findings"])
def test_a_bundle_with_an_empty_sample_is_refused(material, where) -> None:
    key = load_public_key(material["pub_path"])
    report = copy.deepcopy(material["report"])
    entries = [e for e in report[where] if (e.get("evidence") or {}).get("samples")]
    entries[0]["evidence"]["samples"][0] = ""
    report["summary"] = summarize(report)
    bundle = resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})
    result = verify_bundle(bundle, {fingerprint(key): key})
    assert not result.valid and result.failed[0].name == "samples-masked"
    assert "evidence.samples[0] is empty" in result.failed[0].detail
