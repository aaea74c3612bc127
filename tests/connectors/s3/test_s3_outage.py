"""An endpoint lost mid-scan, over real HTTP: moto behind a TCP forwarder that is cut (the
endpoint gone: connections refused) or frozen (connections accepted, never answered) at a
chosen point of the scan. The objects read are kept; the rest are said not read at once, in
one skipped entry per prefix, not one per object; the source is incomplete (one warning line,
``complete: false``); and ``--resume`` reads them again (QA s3dask D1-D3)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from s3_server import facts_of, make_bucket

import pia.connectors.s3.connector as s3_connector
from pia.cli import main
from pia.connectors.s3 import outage
from pia.connectors.s3.client import Clients
from pia.sample.synth import Synth

PREFIXES, PER_PREFIX = ("p0/", "p1/", "p2/"), 5


def _bucket(s3: Any, name: str) -> None:
    """15 objects, 5 under each of 3 prefixes, each holding a resident ID."""
    make_bucket(s3, name)
    syn = Synth(5)
    for prefix in PREFIXES:
        for i in range(PER_PREFIX):
            s3.put_object(Bucket=name, Key=f"{prefix}k{i}.log",
                          Body=f"2026-10-01 login 身份证 {syn.resident_id()}\n".encode())


@pytest.fixture
def fail_after(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None], int], list]:
    """``fail_after(action, n)``: run ``action`` (cut or freeze the forwarder) once ``n``
    objects were read, just before the next is; the keys of every object tried, returned.
    Partitions of 4 objects, so that the loss falls in one and later ones follow it."""
    monkeypatch.setattr(s3_connector, "BATCH_OBJECTS", 4)
    real = s3_connector.read_object

    def arm(action: Callable[[], None], n: int) -> list[str]:
        tried: list[str] = []

        def read(client: Any, bucket: str, obj: dict[str, Any], *args: Any) -> Any:
            tried.append(obj["key"])
            if len(tried) == n + 1:
                action()
            return real(client, bucket, obj, *args)

        monkeypatch.setattr(s3_connector, "read_object", read)
        return tried

    return arm


def test_an_endpoint_gone_after_listing_costs_the_objects_left(s3, scan, forwarder,
                                                                fail_after) -> None:
    _bucket(s3, "gone-mid")
    tried = fail_after(forwarder.cut, 6)
    result = scan("s3://gone-mid", endpoint=forwarder.endpoint, extra={"max_attempts": 1})
    # the 7th request found the endpoint gone; no later object (nor partition) tried it again
    assert len(tried) == 7
    assert sorted(facts_of(result, "object")) == [f"gone-mid/{k}" for k in tried[:6]]
    why = f"cannot reach {forwarder.endpoint} (connection failed)"
    assert result.incomplete == [f"s3://gone-mid: 9 of 15 objects not read: the endpoint was "
                                 f"lost mid-scan ({why}); the objects read are kept"]
    assert result.skipped == [
        {"source": "s3://gone-mid", "location": {"bucket": "gone-mid"},
         "reason": f"4 objects under p1/ not read: {why}"},
        {"source": "s3://gone-mid", "location": {"bucket": "gone-mid"},
         "reason": f"5 objects under p2/ not read: {why}"}]


def test_an_endpoint_that_stops_answering_is_given_up_after_three_silences(
        s3, scan, forwarder, fail_after) -> None:
    _bucket(s3, "hung-mid")
    tried = fail_after(forwarder.freeze, 2)
    result = scan("s3://hung-mid", endpoint=forwarder.endpoint,
                  extra={"max_attempts": 1, "read_timeout": 0.3, "connect_timeout": 0.3})
    assert len(tried) == 5  # two read, three unanswered, and not one more request
    assert len(facts_of(result, "object")) == 2
    why = (f"cannot reach {forwarder.endpoint} (no answer to 3 requests in a row, each after "
           "0.3 s, 1 attempt)")
    assert result.incomplete == [f"s3://hung-mid: 11 of 15 objects not read: the endpoint was "
                                 f"lost mid-scan ({why}); the objects read are kept"]
    assert [s["reason"] for s in result.skipped] == [
        "endpoint timed out", "endpoint timed out",
        f"1 object under p0/ not read: {why}", f"5 objects under p1/ not read: {why}",
        f"5 objects under p2/ not read: {why}"]


def test_a_frozen_endpoint_is_given_up_after_one_request_retried_and_two_tried_once(
        s3, scan, forwarder, fail_after, monkeypatch) -> None:
    """At botocore's 3 attempts, the first request a frozen endpoint leaves unanswered is
    retried, the next two are tried once: given up after 5 read timeouts (~50 s at the 10 s
    default), where it took 3 requests x 3 attempts x 30 s (4.5 min). The read timeout is
    lowered through ``PIA_S3_READ_TIMEOUT``, and the bound with it: < 90 s at 10 s is < 9 s
    at 1 s."""
    monkeypatch.setenv("PIA_S3_READ_TIMEOUT", "1")
    _bucket(s3, "frozen-mid")
    frozen_at: list[float] = []
    tried = fail_after(lambda: frozen_at.append(time.monotonic()) or forwarder.freeze(), 2)
    result = scan("s3://frozen-mid", endpoint=forwarder.endpoint)
    given_up_in = time.monotonic() - frozen_at[0]
    assert len(tried) == 5  # two read, three unanswered, and not one more request
    assert forwarder.held == 3 + 1 + 1  # the attempts: 3 of the first, 1 of each other
    assert given_up_in < 9, given_up_in
    why = (f"cannot reach {forwarder.endpoint} (no answer to 3 requests in a row, the first "
           "after 1 s, 3 attempts, the others after 1 s, 1 attempt)")
    assert result.incomplete == [f"s3://frozen-mid: 11 of 15 objects not read: the endpoint "
                                 f"was lost mid-scan ({why}); the objects read are kept"]


def test_the_defaults_give_a_frozen_endpoint_up_within_a_minute(moto_endpoint) -> None:
    """What the test above measures at 1 s, at the default timeouts: the first silent
    request's attempts and one more read timeout per further silence, plus botocore's
    backoff between attempts (at most 0.05 s then 0.1 s for a time-out)."""
    clients = Clients({"endpoint_url": moto_endpoint})
    config, once = clients.get().meta.config, clients.get(once=True).meta.config
    attempts = config.retries["total_max_attempts"]
    assert (attempts, once.retries["total_max_attempts"]) == (3, 1)
    worst = ((attempts + outage.CONSECUTIVE_SILENCES - 1) * config.read_timeout
             + 0.05 + 0.1)
    assert 30 <= worst <= 60, worst


def test_a_slow_endpoint_is_read_whole(s3, scan, proxy) -> None:
    """An endpoint that answers an object in 3 s (a busy gateway), at the default timeouts:
    read whole, nothing given up, nothing skipped."""
    make_bucket(s3, "slow")
    s3.put_object(Bucket="slow", Key="k.log",
                  Body=f"2026-10-01 login 身份证 {Synth(5).resident_id()}\n".encode())
    proxy.slow = (r"^GET /slow/k\.log$", 3.0)
    result = scan("s3://slow", endpoint=proxy.endpoint)
    assert sorted(facts_of(result, "object")) == ["slow/k.log"]
    assert (result.skipped, result.incomplete) == ([], [])
    assert proxy.requests.count("GET /slow/k.log range=None") == 1  # answered, not retried


def _scan_cli(endpoint: str, out: Path, *extra: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://resumable", "--endpoint-url", endpoint, "--executor", "serial",
              "-q", "-o", str(out), *extra])
    return int(exit_info.value.code or 0)


def test_resume_after_an_outage_reads_again_what_it_left(s3, forwarder, fail_after, tmp_path,
                                                         monkeypatch, capsys) -> None:
    """The report of an outage says it is incomplete, in the JSON and in one warning line;
    the partitions it cut short are not journaled, so ``--resume`` once the endpoint is back
    gives the report of a scan never interrupted."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    _bucket(s3, "resumable")
    clean_code = _scan_cli(forwarder.endpoint, tmp_path / "clean.json")
    clean = json.loads((tmp_path / "clean.json").read_text())
    capsys.readouterr()

    real = s3_connector.read_object
    fail_after(forwarder.cut, 6)
    state = ["--state", str(tmp_path / "state")]
    cut_code = _scan_cli(forwarder.endpoint, tmp_path / "cut.json", *state,
                         "--fail-on", "critical", "--lang", "en")
    cut = json.loads((tmp_path / "cut.json").read_text())
    why = f"cannot reach {forwarder.endpoint} (connection failed)"
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [f"pia: warning: s3://resumable: 9 of 15 objects not read: the endpoint "
                        f"was lost mid-scan ({why}); the objects read are kept (complete: false)"]
    assert cut["scan"]["complete"] is False
    assert len(cut["skipped"]) == 2  # one per prefix not read, not one per object
    assert len(cut["inventory"]) < len(clean["inventory"])
    assert cut_code == clean_code == 1  # the findings' (the 6 objects read hold IDs)

    forwarder.restore()
    monkeypatch.setattr(s3_connector, "read_object", real)
    resumed_code = _scan_cli(forwarder.endpoint, tmp_path / "resumed.json", *state, "--resume")
    resumed = json.loads((tmp_path / "resumed.json").read_text())
    assert resumed_code == clean_code
    assert resumed["scan"]["complete"] is True
    assert resumed["skipped"] == clean["skipped"] == []
    assert resumed["inventory"] == clean["inventory"]
    assert ([f for f in resumed["facts"] if f["kind"] == "object"]
            == [f for f in clean["facts"] if f["kind"] == "object"])


def test_an_endpoint_gone_before_any_object_was_read_fails_the_source(s3, forwarder,
                                                                       fail_after, tmp_path,
                                                                       monkeypatch,
                                                                       capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    _bucket(s3, "resumable")
    fail_after(forwarder.cut, 0)
    assert _scan_cli(forwarder.endpoint, tmp_path / "none.json") == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert errors == ["pia: error: s3://resumable: none of the 15 objects selected could be "
                      f"read (cannot reach {forwarder.endpoint} (connection failed))"]
    report = json.loads((tmp_path / "none.json").read_text())
    assert report["scan"]["complete"] is False
    # one entry per prefix not read (and the source's error), not one per object
    assert sorted(s["reason"] for s in report["skipped"] if s["location"]) == [
        f"5 objects under {prefix} not read: cannot reach {forwarder.endpoint} (connection "
        "failed)" for prefix in PREFIXES]


def test_a_listing_cut_short_is_no_whole_bucket(s3, scan, forwarder, fail_after,
                                                monkeypatch) -> None:
    """An endpoint that stops answering after the listing's first page (1,000 keys): what
    was listed is kept, but the bucket fact says the count is not the bucket's and the
    source is incomplete (1,000 of 16,000 passed for the whole bucket, QA s3dask D2); the
    listing's time-out counts toward the outage, so two reads more give the endpoint up, and
    the source, none of whose objects could be read, fails (exit 2) with its report kept."""
    make_bucket(s3, "long-list")
    with ThreadPoolExecutor(4) as pool:  # 1,001 keys: a second page
        list(pool.map(lambda i: s3.put_object(Bucket="long-list", Key=f"logs/{i:04d}.log",
                                              Body=b"ok\n"), range(1001)))
    real_listing = s3_connector.iter_objects

    def listing(*args: Any) -> Any:
        for count, obj in enumerate(real_listing(*args), 1):
            yield obj
            if count == 1000:  # the first page is in; the second is asked of a hung endpoint
                forwarder.freeze()

    monkeypatch.setattr(s3_connector, "iter_objects", listing)
    tried = fail_after(lambda: None, 0)
    with pytest.raises(s3_connector.NothingRead) as err:  # exit 2: none read, with why
        # 2 s: moto lists a page of 1,000 keys in well over 0.3 s on a loaded machine
        scan("s3://long-list", endpoint=forwarder.endpoint,
             extra={"max_attempts": 1, "max_objects": 5, "read_timeout": 2,
                    "connect_timeout": 2})
    result = err.value.result
    attrs = facts_of(result, "bucket")["long-list"]
    assert (attrs["objects_listed"], attrs["listing_complete"]) == (1000, False)
    why = (f"cannot reach {forwarder.endpoint} (no answer to 3 requests in a row, each after "
           "2 s, 1 attempt)")
    assert result.incomplete == [
        "s3://long-list: bucket long-list: listing cut after 1000 objects: endpoint timed out; "
        "the objects not listed were not read",
        "s3://long-list: 4 of 5 objects not read: the endpoint was lost mid-scan "
        f"({why}); the objects read are kept"]
    assert len(tried) == 2
    assert str(err.value) == ("s3://long-list: none of the 5 objects selected could be read "
                              f"({why}; endpoint timed out)")


def test_an_outage_is_warned_of_in_the_reports_language(s3, forwarder, fail_after, tmp_path,
                                                        monkeypatch, capsys) -> None:
    """Under ``--lang zh`` the line of a source cut short is Chinese, as the summary and the
    other warnings beside it (what the endpoint's client said of the loss stays as said)."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    _bucket(s3, "resumable")
    fail_after(forwarder.cut, 6)
    _scan_cli(forwarder.endpoint, tmp_path / "cut.json", "--lang", "zh")
    why = f"cannot reach {forwarder.endpoint} (connection failed)"
    warnings = [line for line in capsys.readouterr().err.splitlines() if "警告" in line]
    assert warnings == [f"pia：警告：数据源未读完：s3://resumable：15 个对象中有 9 个未读取："
                        f"扫描中途与端点失去连接（{why}）；已读取的对象予以保留"
                        "（complete: false）"]
