"""An S3 server on loopback (moto in server mode), a fault-injecting proxy in front of it, and
a scan helper. Everything goes over real HTTP: the connector runs the code path it runs
against AWS, OSS or MinIO, never moto's in-process patching."""

from __future__ import annotations

import contextlib
import http.client
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer
from s3_server import ACCESS_KEY, SECRET_KEY, scan_with

from pia.connectors.base import ScanContext, SourceResult
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Fault:
    """Answer requests whose ``METHOD path?query`` matches ``pattern`` with an S3 error, or
    (code ``cut``) with the real answer cut in the middle of its body."""

    pattern: str
    status: int
    code: str
    times: int | None = None  # None: always
    hits: int = 0


@dataclass
class FaultProxy:
    """A loopback HTTP proxy to moto that injects S3 errors (access denied, throttling)."""

    upstream: str
    faults: list[Fault] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    endpoint: str = ""
    #: (pattern, seconds): requests that match are answered that much later (a slow endpoint)
    slow: tuple[str, float] | None = None

    def add(self, pattern: str, status: int, code: str, times: int | None = None) -> Fault:
        fault = Fault(pattern, status, code, times)
        self.faults.append(fault)
        return fault

    def match(self, line: str) -> Fault | None:
        for fault in self.faults:
            if re.search(fault.pattern, line) and (fault.times is None or fault.hits < fault.times):
                fault.hits += 1
                return fault
        return None


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    host, port = proxy.upstream.removeprefix("http://").split(":")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _any(self) -> None:
            line = f"{self.command} {self.path}"
            proxy.requests.append(f"{line} range={self.headers.get('Range')}")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            fault = proxy.match(line)
            if proxy.slow is not None and re.search(proxy.slow[0], line):
                time.sleep(proxy.slow[1])
            if fault is not None and fault.code != "cut":
                payload = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{fault.code}"
                           f"</Code><Message>injected</Message></Error>").encode()
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                return
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            conn.request(self.command, self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length",
                                       "server", "date"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if fault is not None:  # "cut": half the body, then the connection drops
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
            elif self.command != "HEAD":
                self.wfile.write(data)
            conn.close()

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

    return Handler


@pytest.fixture
def proxy(moto_endpoint: str) -> Iterator[FaultProxy]:
    state = FaultProxy(moto_endpoint)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session", autouse=True)
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Dummy credentials, no profile or config file, no instance metadata lookups."""
    home = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
                     "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION",
                     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "no-credentials"))
        env.setenv("AWS_CONFIG_FILE", str(home / "no-config"))
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture
def s3(moto_endpoint: str) -> Iterator[Any]:
    """A boto3 client straight to moto (test setup only), on a freshly reset server."""
    client = boto3.client("s3", endpoint_url=moto_endpoint,
                          config=Config(retries={"max_attempts": 1}))
    # wait for the reset's answer: moto serves requests on threads, and a reset still
    # running wiped the bucket a test had just created (NoSuchBucket on a loaded machine)
    connection = http.client.HTTPConnection(*moto_endpoint.removeprefix("http://").split(":"))
    connection.request("POST", "/moto-api/reset")
    assert connection.getresponse().read() is not None
    connection.close()
    yield client


@pytest.fixture(scope="session")
def ctx() -> ScanContext:
    return ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                       now=datetime(2026, 11, 1, tzinfo=UTC))


@pytest.fixture
def scan(ctx: ScanContext, moto_endpoint: str):
    def run(uri: str, endpoint: str | None = None, **options: Any) -> SourceResult:
        return scan_with(ctx, endpoint or moto_endpoint, uri, **options)
    return run


class Forwarder:
    """A TCP forwarder to moto that can be cut (connections refused, those open reset: the
    endpoint is gone, as a killed proxy or a restarted server), frozen (connections accepted
    and never answered: a hung load balancer) and restored on the same port."""

    def __init__(self, upstream: str) -> None:
        self._upstream = tuple(upstream.removeprefix("http://").split(":"))
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.frozen = False
        self.held = 0  # connections accepted while frozen: a request's attempts, each one
        self._listener = self._listen(0)
        self.endpoint = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return listener

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client = listener.accept()[0]
            except OSError:  # closed: cut
                return
            with self._lock:
                self._open.append(client)
                self.held += self.frozen
            if self.frozen:
                continue  # held, never answered
            server = socket.create_connection((self._upstream[0], int(self._upstream[1])))
            with self._lock:
                self._open.append(server)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _drop_open(self) -> None:
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset, not FIN
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the thread reading it
                    sock.close()
            self._open.clear()

    def _stop_listening(self) -> None:
        """Close the listener; shut down first, or the thread blocked in accept() keeps it
        listening (Linux)."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()

    def cut(self) -> None:
        """The endpoint goes away: new connections refused, open ones reset."""
        self._stop_listening()
        self._drop_open()

    def freeze(self) -> None:
        """The endpoint stops answering: open connections dropped, new ones held unanswered."""
        self.frozen = True
        self._drop_open()

    def restore(self) -> None:
        """The endpoint is back, on the same port."""
        self.frozen = False
        self._stop_listening()
        self._listener = self._listen(int(self.endpoint.rsplit(":", 1)[1]))

    def close(self) -> None:
        self._stop_listening()
        self._drop_open()


@pytest.fixture
def forwarder(moto_endpoint: str) -> Iterator[Forwarder]:
    state = Forwarder(moto_endpoint)
    yield state
    state.close()
