"""Failures, over HTTP: denied buckets and objects, throttling, an unreachable endpoint, no or
refused credentials. Each gives one clear line; a source fails only when nothing could be
read; and no access key or secret ever reaches a report, a log record or a message."""

from __future__ import annotations

import functools
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from s3_server import ACCESS_KEY, SECRET_KEY, facts_of, make_bucket

from pia.cli import main
from pia.connectors.base import ScanOptions, scan_serial
from pia.connectors.s3 import S3Connector
from pia.connectors.s3.client import NO_CREDENTIALS
from pia.errors import SourceError, UsageError
from pia.sample.synth import Synth

POSTURE_QUERIES = {"encryption": "encryption", "public_access_block": "publicAccessBlock",
                   "public_acl": "acl", "public_policy": "policy", "versioning": "versioning",
                   "object_lock": "object-lock", "lifecycle": "lifecycle", "logging": "logging",
                   "replication": "replication", "tags": "tagging"}


def _bucket_with_pi(s3, name: str, keys: tuple[str, ...] = ("a.log",), region="cn-north-1"):
    make_bucket(s3, name, region)
    syn = Synth(11)
    for key in keys:
        s3.put_object(Bucket=name, Key=key, Body=f"身份证 {syn.resident_id()}\n".encode())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_denied_posture_is_recorded_as_denied(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "half-open")
    for query in ("encryption", "policy", "acl", "lifecycle"):
        proxy.add(rf"^GET /half-open\?{query}(=|$)", 403, "AccessDenied")
    result = scan("s3://half-open", endpoint=proxy.endpoint)
    attrs = facts_of(result, "bucket")["half-open"]
    denied = {"encryption", "public_policy", "public_acl", "lifecycle"}
    assert {k for k in POSTURE_QUERIES if attrs[k] == "access_denied"} == denied
    assert attrs["errors"] == dict.fromkeys(sorted(denied), "AccessDenied")
    assert (attrs["versioning"], attrs["public_access_block"], attrs["tags"]) == ("none", False, {})
    assert len(result.inventory) == 1
    # a rule cannot judge what was not read: the report says so, in every format
    assert result.skipped == [{"source": "s3://half-open", "location": {"bucket": "half-open"},
                               "reason": "bucket policy (AccessDenied), bucket ACL "
                                         "(AccessDenied), default encryption (AccessDenied), "
                                         "lifecycle (AccessDenied) could not be read: public "
                                         "exposure, encryption at rest, retention not judged"}]


def test_region_from_head_bucket_when_location_is_denied(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "no-location", region="ap-east-1")
    fault = proxy.add(r"^GET /no-location\?location", 403, "AccessDenied")
    attrs = facts_of(scan("s3://no-location", endpoint=proxy.endpoint), "bucket")["no-location"]
    assert fault.hits == 1
    assert (attrs["region"], attrs["jurisdiction"], attrs["errors"]) == ("ap-east-1", "hmt", {})


def test_denied_listing_keeps_the_posture(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "no-list")
    proxy.add(r"^GET /no-list\?list-type=2", 403, "AccessDenied")
    result = scan("s3://no-list", endpoint=proxy.endpoint)
    assert facts_of(result, "bucket")["no-list"]["encryption"] == "none"
    assert result.inventory == []
    assert result.skipped == [{"source": "s3://no-list", "location": {"bucket": "no-list"},
                               "reason": "cannot list objects: access denied"}]


def test_a_bucket_that_cannot_be_listed_fails_its_scan_keeping_the_posture(
        s3, proxy, tmp_path, monkeypatch, capsys) -> None:
    """QA: an account that may read a bucket's location and ACL but not list it got a
    clean audit (exit 0, complete: true) of a bucket holding IDs. Not one object was seen:
    exit 2, the report written and incomplete, its posture kept."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    _bucket_with_pi(s3, "no-list-cli")
    proxy.add(r"^GET /no-list-cli\?list-type=2", 403, "AccessDenied")
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://no-list-cli", "--endpoint-url", proxy.endpoint, "--executor",
              "serial", "-q", "-o", str(out)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "pia: error: s3://no-list-cli: cannot list objects: access denied" in err
    report = json.loads(out.read_text())
    assert report["scan"]["complete"] is False
    assert [f["attributes"]["encryption"] for f in report["facts"]
            if f["kind"] == "bucket"] == ["none"]


def test_one_denied_bucket_does_not_stop_the_others(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "open-one", region="us-east-1")
    _bucket_with_pi(s3, "shut-one", region="us-east-1")
    proxy.add(r"^(GET|HEAD) /shut-one", 403, "AccessDenied")
    result = scan("s3://", endpoint=proxy.endpoint)
    assert {i["location"]["bucket"] for i in result.inventory} == {"open-one"}
    shut = facts_of(result, "bucket")["shut-one"]
    assert all(shut[k] == "access_denied" for k in POSTURE_QUERIES)
    assert shut["region"] is None and shut["jurisdiction"] == "unknown"
    assert [s["reason"] for s in result.skipped] == [
        "bucket posture could not be read (AccessDenied): public exposure, encryption at rest "
        "and the other posture rules not judged", "cannot list objects: access denied"]


def test_a_wholly_denied_bucket_is_a_source_error(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "all-shut")
    proxy.add(r"^(GET|HEAD) /all-shut", 403, "AccessDenied")
    with pytest.raises(SourceError) as err:
        scan("s3://all-shut", endpoint=proxy.endpoint)
    assert str(err.value) == "s3://all-shut: cannot list objects: access denied"


def test_denied_objects_are_skipped_by_the_servers_own_policy(s3, scan) -> None:
    _bucket_with_pi(s3, "guarded", keys=("a.log", "b.log"), region="us-east-1")
    _bucket_with_pi(s3, "open-side", keys=("c.log",), region="us-east-1")
    s3.put_bucket_policy(Bucket="guarded", Policy=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::guarded/*"}]}))
    result = scan("s3://")
    assert [i["location"]["key"] for i in result.inventory] == ["c.log"]
    assert [(s["location"], s["reason"]) for s in result.skipped] == [
        ({"bucket": "guarded", "key": "a.log"}, "access denied"),
        ({"bucket": "guarded", "key": "b.log"}, "access denied")]
    assert facts_of(result, "bucket")["guarded"]["public_policy"] is False


def test_throttling_is_retried_with_backoff(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "busy", keys=("a.log", "b.log"))
    fault = proxy.add(r"^GET /busy/a\.log", 503, "SlowDown", times=2)
    listing = proxy.add(r"^GET /busy\?list-type=2", 503, "SlowDown", times=1)
    result = scan("s3://busy", endpoint=proxy.endpoint)
    assert (fault.hits, listing.hits) == (2, 1)
    assert sorted(i["location"]["key"] for i in result.inventory) == ["a.log", "b.log"]
    assert result.skipped == []


def test_throttling_that_never_ends_skips_the_object(s3, scan, proxy) -> None:
    _bucket_with_pi(s3, "swamped", keys=("a.log", "b.log"))
    fault = proxy.add(r"^GET /swamped/a\.log", 503, "SlowDown")
    result = scan("s3://swamped", endpoint=proxy.endpoint, extra={"max_attempts": 2})
    assert fault.hits == 2
    assert [i["location"]["key"] for i in result.inventory] == ["b.log"]
    assert [s["reason"] for s in result.skipped] == [
        "throttled by the endpoint (SlowDown) after retries"]


def test_connection_cut_mid_object_keeps_what_was_read(s3, scan, proxy) -> None:
    syn = Synth(12)
    make_bucket(s3, "flaky", "cn-north-1")
    lines = [f"{i:05d} 身份证 {syn.resident_id()}" for i in range(2000)]
    body = "\n".join(lines).encode()
    s3.put_object(Bucket="flaky", Key="big.log", Body=body)
    proxy.add(r"^GET /flaky/big\.log", 200, "cut", times=1)
    result = scan("s3://flaky", endpoint=proxy.endpoint, extra={"max_attempts": 1})
    (item,) = result.inventory
    # the proxy sends half the body; the line the cut went through is left out
    assert item["count"] == body[: len(body) // 2].count(b"\n")
    (skipped,) = result.skipped
    assert skipped["location"] == {"bucket": "flaky", "key": "big.log"}
    assert skipped["reason"].startswith("read error (")


@pytest.mark.parametrize("uri", ["s3://somewhere", "s3://"])
def test_unreachable_endpoint(scan, uri) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        scan(uri, endpoint=endpoint, extra={"max_attempts": 2})
    assert str(err.value) == f"{uri}: cannot reach {endpoint} (connection failed)"
    assert time.monotonic() - started < 10


@pytest.fixture
def web_server(tmp_path) -> Iterator[str]:
    """An ordinary web server (a wrong port, a web console): ``/app-logs`` is a folder, so
    ``GET /app-logs?location`` is redirected to ``/app-logs/``; other paths are 404 pages."""
    (tmp_path / "app-logs").mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(tmp_path)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("uri", "why"), [
    ("s3://app-logs", "it redirects without naming a region, again and again"),
    ("s3://no-such-folder", "its answer is not S3's XML"),
    ("s3://", "HTTP 500 without an S3 error code"),
])
def test_an_endpoint_that_is_not_s3(scan, web_server, uri, why) -> None:
    with pytest.raises(SourceError) as err:
        scan(uri, endpoint=web_server, extra={"max_attempts": 1})
    assert str(err.value) == f"{uri}: {web_server} is not an S3 endpoint ({why})"


def test_an_endpoint_that_is_not_s3_through_the_cli(web_server, tmp_path, monkeypatch,
                                                   capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://app-logs", "--endpoint-url", web_server, "--executor", "serial",
              "-q", "-o", str(tmp_path / "report.json")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        f"pia: error: s3://app-logs: {web_server} is not an S3 endpoint (it redirects without "
        "naming a region, again and again)\n")


@pytest.fixture
def black_hole() -> Iterator[tuple[str, list[socket.socket]]]:
    """An endpoint that accepts connections and never answers (a firewall's black hole, a
    stalled proxy): its URL and the connections it accepted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def hold() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:  # closed
                return

    threading.Thread(target=hold, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()
    for conn in accepted:
        conn.close()


@pytest.mark.parametrize("uri", ["s3://somewhere", "s3://"])
def test_an_endpoint_that_never_answers_fails_the_source_at_once(scan, black_hole, uri) -> None:
    endpoint, accepted = black_hole
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        scan(uri, endpoint=endpoint, extra={"read_timeout": 0.5, "max_attempts": 2})
    assert str(err.value) == f"{uri}: cannot reach {endpoint} (timed out after 0.5 s, 2 attempts)"
    assert len(accepted) == 2  # the first request, retried once; nothing after it
    assert time.monotonic() - started < 5


def test_aws_max_attempts_is_honoured(scan, black_hole, monkeypatch) -> None:
    endpoint, accepted = black_hole
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(SourceError) as err:
        scan("s3://somewhere", endpoint=endpoint, extra={"read_timeout": 0.5})
    assert str(err.value).endswith("(timed out after 0.5 s, 1 attempt)")
    assert len(accepted) == 1
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "0")
    with pytest.raises(UsageError) as usage:
        scan("s3://somewhere", endpoint=endpoint)
    assert str(usage.value) == "AWS_MAX_ATTEMPTS must be a positive number, not '0'"


def test_the_timeouts_come_from_the_environment(scan, black_hole, monkeypatch) -> None:
    """``PIA_S3_READ_TIMEOUT``/``PIA_S3_CONNECT_TIMEOUT`` set the timeouts when the options
    do not (``pia scan`` has no flag for them); botocore's 3 attempts are kept."""
    endpoint, accepted = black_hole
    monkeypatch.setenv("PIA_S3_READ_TIMEOUT", "0.5")
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        scan("s3://somewhere", endpoint=endpoint)
    assert str(err.value).endswith("(timed out after 0.5 s, 3 attempts)")
    assert len(accepted) == 3
    assert time.monotonic() - started < 5
    for name in ("PIA_S3_READ_TIMEOUT", "PIA_S3_CONNECT_TIMEOUT"):
        monkeypatch.setenv(name, "soon")
        with pytest.raises(UsageError) as usage:
            scan("s3://somewhere", endpoint=endpoint)
        assert str(usage.value) == f"{name} must be a positive number, not 'soon'"
        monkeypatch.setenv(name, "0.5")


@pytest.mark.parametrize("uri", ["s3://somewhere", "s3://"])
def test_no_credentials(scan, monkeypatch, uri) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(SourceError) as err:
        scan(uri)
    assert str(err.value) == f"{uri}: {NO_CREDENTIALS}"


def test_unknown_profile(scan, monkeypatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    with pytest.raises(SourceError) as err:
        scan("s3://somewhere")
    assert str(err.value) == "s3: AWS profile 'no-such-profile' not found"


@pytest.mark.parametrize("code", ["InvalidAccessKeyId", "SignatureDoesNotMatch"])
def test_refused_credentials(s3, scan, proxy, code) -> None:
    _bucket_with_pi(s3, "refusing")
    proxy.add(r".", 403, code)
    with pytest.raises(SourceError) as err:
        scan("s3://refusing", endpoint=proxy.endpoint)
    assert str(err.value) == f"s3://refusing: credentials refused by the endpoint ({code})"


def test_no_such_bucket(s3, scan) -> None:
    with pytest.raises(SourceError) as err:
        scan("s3://never-made")
    assert str(err.value) == "s3://never-made: no such bucket"


@pytest.mark.parametrize(("endpoint", "shown"), [
    ("notaurl", "notaurl"),
    ("http://", "http://"),
    ("ftp://minio.internal", "ftp://minio.internal"),
    ("http://minio.internal:90a0", "http://minio.internal:90a0"),
    # credentials in a bad endpoint are never repeated
    (f"{ACCESS_KEY}:{SECRET_KEY}@minio.internal:9000", "***@minio.internal:9000"),
    (f"https://{ACCESS_KEY}:{SECRET_KEY}@minio.internal:90a0", "https://***@minio.internal:90a0"),
])
def test_a_malformed_endpoint_is_named_with_the_source(ctx, endpoint, shown) -> None:
    options = ScanOptions(extra={"endpoint_url": endpoint})
    with pytest.raises(UsageError) as err:
        scan_serial(S3Connector(), "s3://crm-bj", options, ctx)
    assert str(err.value) == (f"s3://crm-bj: --endpoint-url {shown!r} is not a URL "
                              "(expected http(s)://host[:port])")


@pytest.mark.parametrize(("endpoint", "shown"), [
    ("http://127.0.0.1:5055/?x=1", "http://127.0.0.1:5055/?…"),
    ("https://minio.internal?X-Amz-Security-Token=SECRETTOKEN", "https://minio.internal?…"),
    ("http://minio.internal:9000#frag", "http://minio.internal:9000#…"),
])
def test_an_endpoint_with_a_query_is_refused_without_showing_it(ctx, endpoint, shown) -> None:
    with pytest.raises(UsageError) as err:
        scan_serial(S3Connector(), "s3://crm-bj", ScanOptions(extra={"endpoint_url": endpoint}),
                    ctx)
    assert str(err.value) == (f"s3://crm-bj: --endpoint-url {shown!r} has a query string or "
                              "fragment: an S3 endpoint has none (expected "
                              "http(s)://host[:port])")


@pytest.mark.parametrize(("uri", "message"), [
    ("s3:///prefix", "s3:///prefix: no bucket name (expected s3://bucket/prefix, or s3:// for "
                     "every bucket)"),
    ("s3://bad_bucket!", "s3://bad_bucket!: 'bad_bucket!' is not a valid bucket name "
                         "(letters, digits, dots, hyphens; 3 to 63 characters)"),
    ("s3://minio:9000/logs", "s3://minio:9000: 'minio:9000' is not a valid bucket name "
                             "(letters, digits, dots, hyphens; 3 to 63 characters)"),
    ("s3://ab", "s3://ab: 'ab' is not a valid bucket name (letters, digits, dots, hyphens; "
                "3 to 63 characters)"),
])
def test_a_malformed_source_is_a_usage_error_before_any_request(ctx, uri, message) -> None:
    options = ScanOptions(extra={"endpoint_url": f"http://127.0.0.1:{_closed_port()}"})
    with pytest.raises(UsageError) as err:
        scan_serial(S3Connector(), uri, options, ctx)
    assert str(err.value) == message


def test_a_prefix_is_taken_as_written(s3, scan) -> None:
    """``?`` and ``#`` are ordinary in keys; legacy bucket names may hold capitals."""
    make_bucket(s3, "Legacy_Bucket")
    s3.put_object(Bucket="Legacy_Bucket", Key="what?#now/a.log", Body=b"x\n")
    s3.put_object(Bucket="Legacy_Bucket", Key="what/b.log", Body=b"x\n")
    result = scan("s3://Legacy_Bucket/what?#now/")
    assert sorted(facts_of(result, "object")) == ["Legacy_Bucket/what?#now/a.log"]


def test_a_malformed_endpoint_through_the_cli(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://crm-bj", "--endpoint-url", "notaurl", "--executor", "serial"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == ("pia: error: s3://crm-bj: --endpoint-url 'notaurl' is "
                                       "not a URL (expected http(s)://host[:port])\n")


def test_patterns_that_select_no_object_are_a_usage_error(s3, scan, moto_endpoint,
                                                          capsys) -> None:
    """A typo (``*.CSV``) must not pass for a clean audit, as for tables and files."""
    make_bucket(s3, "picky")
    for key in ("exports/users.csv", "exports/orders.csv"):
        s3.put_object(Bucket="picky", Key=key, Body=b"x\n")
    with pytest.raises(UsageError) as err:
        scan("s3://picky/exports/", include=["*.CSV"])
    assert str(err.value) == ("--include '*.CSV': no object of s3://picky/exports/ is "
                              "selected (2 listed)")
    with pytest.raises(UsageError):
        scan("s3://picky", exclude=["*.csv"])
    assert len(facts_of(scan("s3://picky", include=["*orders*"]), "object")) == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://picky", "--endpoint-url", moto_endpoint, "--include", "nomatch*",
              "--executor", "serial", "-q"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == ("pia: error: --include 'nomatch*': no object of "
                                       "s3://picky is selected (2 listed)\n")


@pytest.mark.parametrize(("endpoint", "shown"), [
    ("http://127.0.0.1:5055/?token=SECRETTOKEN", "http://127.0.0.1:5055/?…"),
    ("http://AKIAUSER:s3cr3t@minio.internal:9000?X-Amz-Security-Token=SECRETTOKEN",
     "http://***@minio.internal:9000?…"),
])
def test_an_endpoint_with_a_query_from_the_environment_is_refused_alike(
        ctx, monkeypatch, endpoint, shown) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    with pytest.raises(SourceError) as err:
        scan_serial(S3Connector(), "s3://crm-bj", ScanOptions(), ctx)
    assert str(err.value) == (
        f"s3: the endpoint configured in the environment (AWS_ENDPOINT_URL[_S3] or "
        f"~/.aws/config) {shown!r} has a query string or fragment: an S3 endpoint has none "
        "(expected http(s)://host[:port])")


def test_a_tls_failure_says_so_and_names_aws_ca_bundle(scan, moto_endpoint) -> None:
    """https to a server that does not speak TLS fails the handshake, as a certificate from
    a private CA does: the message says TLS, not "connection failed"."""
    endpoint = moto_endpoint.replace("http://", "https://")
    with pytest.raises(SourceError) as err:
        scan("s3://crm-bj", endpoint=endpoint, extra={"max_attempts": 1})
    assert str(err.value) == (
        f"s3://crm-bj: TLS handshake with {endpoint} failed (a certificate not trusted, e.g. "
        "a private CA's: set AWS_CA_BUNDLE to its PEM file; or the endpoint is plain http)")


def test_malformed_endpoint_or_region_from_the_environment(ctx, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "notaurl")
    with pytest.raises(SourceError) as err:
        scan_serial(S3Connector(), "s3://crm-bj", ScanOptions(), ctx)
    assert str(err.value) == ("s3: the endpoint configured in the environment (AWS_ENDPOINT_URL"
                              "[_S3] or ~/.aws/config) is not a URL (expected "
                              "http(s)://host[:port])")
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "bad region!")
    with pytest.raises(SourceError) as err:
        scan_serial(S3Connector(), "s3://crm-bj", ScanOptions(), ctx)
    assert str(err.value) == "s3: region 'bad region!' is not a region name"


def test_endpoint_from_the_environment(s3, ctx, moto_endpoint, monkeypatch) -> None:
    """``AWS_ENDPOINT_URL`` alone reaches the server (no ``--endpoint-url``)."""
    _bucket_with_pi(s3, "env-endpoint")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    result = scan_serial(S3Connector(), "s3://env-endpoint", ScanOptions(), ctx)
    assert len(result.inventory) == 1


def test_keys_never_leak(s3, scan, proxy, caplog, capsys) -> None:
    """Debug logging on, errors of every kind: the dummy key and secret appear nowhere."""
    _bucket_with_pi(s3, "leaky", keys=("a.log", "b.log", "c.log"))
    caplog.set_level(logging.DEBUG)  # after the test's own setup client
    proxy.add(r"^GET /leaky/b\.log", 403, "AccessDenied")
    proxy.add(r"^GET /leaky/c\.log", 503, "SlowDown", times=1)
    result = scan("s3://leaky", endpoint=proxy.endpoint)
    messages = []
    for uri, endpoint in (("s3://leaky", f"http://127.0.0.1:{_closed_port()}"),
                          ("s3://refused", proxy.endpoint)):
        proxy.add(r".", 403, "SignatureDoesNotMatch")
        try:
            scan(uri, endpoint=endpoint, extra={"max_attempts": 1})
        except SourceError as err:
            messages.append(str(err))
    assert len(messages) == 2
    captured = capsys.readouterr()
    text = "\n".join([json.dumps(result.__dict__, ensure_ascii=False), caplog.text,
                      captured.out, captured.err, *messages])
    assert "Credential=" in caplog.text or "Authorization" in caplog.text  # it did log
    assert ACCESS_KEY not in text
    assert SECRET_KEY not in text


def test_keys_never_leak_through_the_cli(s3, proxy, tmp_path, monkeypatch, capsys,
                                         caplog) -> None:
    """``pia scan`` in process: a denied object, a missing bucket, debug logging on."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    _bucket_with_pi(s3, "cli-bucket", keys=("a.log", "b.log"))
    caplog.set_level(logging.DEBUG)  # after the test's own setup client
    proxy.add(r"^GET /cli-bucket/b\.log", 403, "AccessDenied")
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://cli-bucket", "s3://never-made", "--endpoint-url", proxy.endpoint,
              "--executor", "serial", "-q", "-o", str(out)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2
    assert "pia: error: s3://never-made: no such bucket" in captured.err
    report = json.loads(out.read_text())
    assert [i["location"]["key"] for i in report["inventory"]] == ["a.log"]
    assert {"location": {"bucket": "cli-bucket", "key": "b.log"}, "reason": "access denied",
            "source": "s3://cli-bucket"} in report["skipped"]
    text = "\n".join([out.read_text(), captured.out, captured.err, caplog.text])
    assert ACCESS_KEY not in text and SECRET_KEY not in text


@pytest.mark.parametrize("uri, store, endpoint", [
    ("oss://crm-hz/exports", "Aliyun OSS", "https://oss-cn-hangzhou.aliyuncs.com"),
    ("COS://crm-gz", "Tencent COS", "https://cos.ap-guangzhou.myqcloud.com"),
    ("obs://crm-bj", "Huawei OBS", "https://obs.cn-north-4.myhuaweicloud.com"),
])
def test_a_clouds_own_scheme_points_to_s3(uri, store, endpoint, capsys) -> None:
    """``oss://``, ``cos://``, ``obs://``: refused, with the way that works (README)."""
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", uri, "--executor", "serial"])
    assert exit_info.value.code == 2
    rest = uri.partition("://")[2]
    assert capsys.readouterr().err.strip() == (
        f"pia: error: no connector accepts source {uri!r}: {store} is read over its S3 API: "
        f"scan 's3://{rest}' with --endpoint-url set to the endpoint of the bucket's region "
        f"(e.g. {endpoint})")
