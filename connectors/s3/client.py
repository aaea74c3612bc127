"""boto3 clients built from the standard configuration, and errors turned into one safe line.

The same code reaches AWS (China regions included), Aliyun OSS, Tencent COS, Huawei OBS,
MinIO and Ceph: whatever their S3 API needs comes from boto3's own chain (credential chain,
``AWS_PROFILE``, ``AWS_ENDPOINT_URL[_S3]``, ``AWS_DEFAULT_REGION``, ``~/.aws/config``) plus
``--endpoint-url`` (``options.extra["endpoint_url"]``). No partition carries a key: a worker
process rebuilds its clients from the environment the driver sends it out of band
(``driver_environment``, in the executor's ``WorkerSetup``, as database passwords travel),
which holds the credentials and region the driver's chain resolved and the settings below:
a remote Dask worker's own environment may have none of them.

Retries on throttling (``SlowDown``, 503) and transient network errors are botocore's own
``standard``/``adaptive`` modes with exponential backoff: 3 attempts in ``standard`` mode,
unless ``AWS_MAX_ATTEMPTS``/``AWS_RETRY_MODE`` in the environment or ``max_attempts``/
``retry_mode`` in ``options.extra`` say otherwise. A request waits at most
``connect_timeout`` (5 s) to connect and ``read_timeout`` (10 s) for each read: an endpoint
that answers in a few seconds is read whole, while one that accepts connections and never
answers (a firewall's black hole, a stalled proxy) fails a source's first request after
attempts × 10 s (30 s; it was 3 × 30 s), and is given up mid-scan in about 50 s (``outage``
tries the requests after an unanswered one once: ``Clients.get(once=True)``; it was 4.5
min). ``PIA_S3_CONNECT_TIMEOUT``/``PIA_S3_READ_TIMEOUT`` in the environment (seconds), or
``connect_timeout``/``read_timeout`` in ``options.extra``, change them.

Messages name the endpoint (redacted), the bucket and the error code, never a key: error
*messages* from the server are not repeated (a ``SignatureDoesNotMatch`` body carries the
access key id), and botocore's debug log is scrubbed of ``Credential=`` values.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    HTTPClientError,
    InvalidRegionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
)
from botocore.loaders import Loader, create_loader
from botocore.parsers import ResponseParserError

from pia.errors import SourceError, UsageError
from pia.uri import redact

DEFAULT_RETRY_MODE = "standard"
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
#: the environment's say on the timeouts (seconds), when ``options.extra`` has none
CONNECT_TIMEOUT_ENV = "PIA_S3_CONNECT_TIMEOUT"
READ_TIMEOUT_ENV = "PIA_S3_READ_TIMEOUT"
#: the environment variables besides credentials that shape the clients, sent to workers
SETTINGS_ENV = (CONNECT_TIMEOUT_ENV, READ_TIMEOUT_ENV, "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE")

DENIED = frozenset({"AccessDenied", "AllAccessDisabled", "AccountProblem", "403", "Forbidden"})
MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
THROTTLED = frozenset({"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
                       "TooManyRequests", "503", "ServiceUnavailable", "RequestThrottled"})
#: the credentials themselves are refused: no other call can succeed either
REJECTED = frozenset({"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                      "ExpiredToken", "TokenRefreshRequired", "InvalidSecurity"})
NO_CREDENTIALS = ("no AWS credentials found (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY, or use an instance role)")

#: provider by endpoint host, so that a region name is read in its provider's table
#: (Huawei's ap-southeast-1 is Hong Kong, AWS's is Singapore)
_PROVIDERS = (("aliyuncs.com", "aliyun"), ("myqcloud.com", "tencent"),
              ("tencentcos.cn", "tencent"), ("tencentcos.com", "tencent"),
              ("myhuaweicloud.com", "huawei"),
              ("amazonaws.com", "aws"), ("amazonaws.com.cn", "aws"))
#: the provider of an endpoint that is no known cloud's (MinIO, Ceph, a proxy): its region
#: names are the server's own labels, not a cloud's, so they say nothing of where it is
CUSTOM = "custom"
PROVIDERS = tuple(dict.fromkeys(name for _, name in _PROVIDERS))


#: what a boto3 call may raise: botocore's errors, and what botocore raises when the endpoint
#: is not S3 (a web page its parsers or GetBucketLocation's XML handler cannot read, a
#: redirect that names no region followed until the stack runs out); none of the last three
#: is a ``BotoCoreError``
CALL_ERRORS = (ClientError, BotoCoreError, ResponseParserError, ParseError, RecursionError)


@dataclass(frozen=True)
class Failure:
    """A classified error: ``kind`` is fatal | denied | missing | throttled | other."""

    kind: str
    reason: str


def error_code(err: ClientError) -> str:
    error = err.response.get("Error", {}) or {}
    code = str(error.get("Code") or "")
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code or (str(status) if status else "unknown")


def origin(url: str | None) -> str:
    """``scheme://host[:port]`` of an endpoint, without credentials, for a message."""
    parts = urlsplit(url or "")
    return redact(f"{parts.scheme}://{parts.netloc}") if parts.netloc else "the endpoint"


def not_s3(err: Exception, first: bool) -> str | None:
    """Why an error shows that the endpoint does not speak S3 (a web server, a console, a
    login page), or None. On the first call of a source, an HTTP error without an S3 error
    code (S3 always sends one on a GET) counts too, unless it means denied or throttled."""
    if isinstance(err, HTTPClientError) and isinstance(err.kwargs.get("error"), RecursionError):
        err = err.kwargs["error"]
    if isinstance(err, RecursionError):
        return "it redirects without naming a region, again and again"
    if isinstance(err, ParseError | ResponseParserError):
        return "its answer is not S3's XML"
    if first and isinstance(err, ClientError):
        code = error_code(err)
        if code.isdigit() and code not in DENIED | THROTTLED:
            return f"HTTP {code} without an S3 error code"
    return None


def endpoint_of(client: Any) -> str | None:
    """The URL a client sends to, for messages (None from a stand-in that has none)."""
    return getattr(getattr(client, "meta", None), "endpoint_url", None)


def waited(client: Any) -> str:
    """How long a client waits for an answer that never comes: '30 s, 3 attempts'."""
    attempts = (client.meta.config.retries or {}).get("total_max_attempts") or 1
    return (f"{client.meta.config.read_timeout:g} s, {attempts} "
            f"attempt{'s' if attempts > 1 else ''}")


def classify(err: Exception, endpoint: str | None = None, first: Any = None) -> Failure:
    """One safe line for an error of boto3/botocore, and whether anything else can work.

    ``first`` is the client when ``err`` answers a source's first request: there an endpoint
    that does not speak S3 (see ``not_s3``) or does not answer in time is fatal, since no
    other request would fare better and each would wait as long."""
    foreign = not_s3(err, first is not None)
    if foreign:
        return Failure("fatal", f"{origin(endpoint)} is not an S3 endpoint ({foreign})")
    if isinstance(err, ReadTimeoutError) and first is not None:
        return Failure("fatal", f"cannot reach {origin(endpoint)} (timed out after "
                                f"{waited(first)})")
    if isinstance(err, NoCredentialsError | PartialCredentialsError):
        return Failure("fatal", NO_CREDENTIALS)
    if isinstance(err, ProfileNotFound):
        return Failure("fatal", f"AWS profile {err.kwargs.get('profile')!r} not found")
    if isinstance(err, SSLError):  # before ConnectionError, of which it is one
        url = str(getattr(err, "kwargs", {}).get("endpoint_url") or endpoint or "")
        return Failure("fatal", f"TLS handshake with {origin(url)} failed (a certificate "
                                "not trusted, e.g. a private CA's: set AWS_CA_BUNDLE to its "
                                "PEM file; or the endpoint is plain http)")
    if isinstance(err, EndpointConnectionError | ConnectionError):
        url = str(getattr(err, "kwargs", {}).get("endpoint_url") or endpoint or "")
        return Failure("fatal", f"cannot reach {origin(url)} (connection failed)")
    if isinstance(err, ReadTimeoutError):
        return Failure("other", "endpoint timed out")
    if isinstance(err, ClientError):
        code = error_code(err)
        if code in REJECTED:
            return Failure("fatal", f"credentials refused by the endpoint ({code})")
        if code in DENIED:
            return Failure("denied", "access denied")
        if code in MISSING:
            return Failure("missing", "not found")
        if code == "NoSuchBucket":
            return Failure("missing", "no such bucket")
        if code == "InvalidObjectState":
            return Failure("other", "object archived: restore it before it can be read")
        if code in THROTTLED:
            return Failure("throttled", f"throttled by the endpoint ({code}) after retries")
        return Failure("other", f"request failed ({code})")
    if isinstance(err, BotoCoreError):
        return Failure("other", f"request failed ({type(err).__name__})")
    raise err


ENDPOINT_SHAPE = "expected http(s)://host[:port]"


def shown_endpoint(url: str) -> str:
    """An endpoint as a message may show it: credentials in it replaced by ``***``."""
    if "://" not in url and "@" in url:  # no scheme: redact cannot tell userinfo from a path
        return "***@" + url.rpartition("@")[2]
    return redact(url)


#: how messages name an endpoint found in the environment rather than in --endpoint-url
ENVIRONMENT_ENDPOINT = "the endpoint configured in the environment (AWS_ENDPOINT_URL[_S3] or " \
    "~/.aws/config)"


def endpoint_problem(url: str | None, label: str = "--endpoint-url") -> str | None:
    """Why ``--endpoint-url`` (or the endpoint ``label`` names) cannot be an S3 endpoint,
    naming it (redacted); None if it can."""
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        ok = (parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
              and not any(c.isspace() for c in url) and (parts.port or 1) > 0)
    except ValueError:  # a port that is not a number, or out of range
        ok = False
    if not ok:
        return f"{label} {shown_endpoint(url)!r} is not a URL ({ENDPOINT_SHAPE})"
    if parts.query or parts.fragment or "?" in url:
        # botocore refuses it at the first request, repeating it whole (the query may hold a
        # token): refused here, without the query
        where = shown_endpoint(url.split("?")[0].split("#")[0]) + ("?…" if "?" in url else "#…")
        return (f"{label} {where!r} has a query string or fragment: an S3 endpoint "
                f"has none ({ENDPOINT_SHAPE})")
    return None


def provider_of(endpoint: str | None) -> str:
    """The cloud behind an endpoint URL: a known cloud's host names it, no endpoint is AWS,
    anything else (MinIO, Ceph, an IP address) is ``CUSTOM``."""
    if not endpoint:
        return "aws"
    host = (urlsplit(endpoint).hostname or "").lower()
    return next((name for suffix, name in _PROVIDERS if host.endswith(suffix)), CUSTOM)


# --- keeping keys out of logs ----------------------------------------------------------------

_LOG_SECRETS = (
    (re.compile(r"(Credential=)[^/,\s'\"]+"), r"\1***"),
    (re.compile(r"(X-Amz-Credential=)[^/&%\s'\"]+"), r"\1***"),
    (re.compile(r"(<AWSAccessKeyId>)[^<]*"), r"\1***"),
    (re.compile(r"(X-Amz-Security-Token['\"]?:\s*b?['\"]?)[^'\"\s,}]+", re.I), r"\1***"),
)
_LOGGER_PREFIXES = ("botocore", "boto3", "urllib3", "s3transfer")


class _ScrubKeys(logging.Filter):
    """Rewrites botocore/urllib3 log records (debug level shows signed headers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = message
        for pattern, repl in _LOG_SECRETS:
            scrubbed = pattern.sub(repl, scrubbed)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


_SCRUB = _ScrubKeys()


def _scrub_logs() -> None:
    """Attach the scrubber to every botocore/urllib3 logger that exists (idempotent)."""
    manager = logging.Logger.manager
    for name in [*_LOGGER_PREFIXES, *list(manager.loggerDict)]:
        if name.split(".")[0] in _LOGGER_PREFIXES:
            logger = logging.getLogger(name)
            if _SCRUB not in logger.filters:
                logger.addFilter(_SCRUB)


# --- clients ----------------------------------------------------------------------------------

_LOADER: Loader | None = None


def _new_session(environment: dict[str, str] | None = None) -> boto3.session.Session:
    """A fresh session (credentials and configuration read anew from the environment, or
    the credentials and region of ``environment``: the driver's, on a worker) that shares
    one model loader per process: parsing the S3 service model costs ~0.4 s."""
    global _LOADER
    if _LOADER is None:
        _LOADER = create_loader()
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    environment = environment or {}
    given: dict[str, Any] = {"region_name": environment.get("AWS_DEFAULT_REGION")}
    if environment.get("AWS_ACCESS_KEY_ID"):
        given.update(aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
                     aws_secret_access_key=environment.get("AWS_SECRET_ACCESS_KEY"),
                     aws_session_token=environment.get("AWS_SESSION_TOKEN"))
    return boto3.session.Session(botocore_session=core, **given)


def driver_environment(session: boto3.session.Session) -> dict[str, str]:
    """What a worker elsewhere needs to build the clients this process builds: the
    credentials and region ``session``'s chain resolved (environment, profile, SSO, instance
    role), frozen as they are now (temporary ones are not renewed on the workers), and the
    ``SETTINGS_ENV`` variables this process has. Secret: it travels only in the worker
    setup, never in a task. Credentials the chain cannot resolve are left to each worker's
    own chain, and the driver's first request says why they failed."""
    out = {name: os.environ[name] for name in SETTINGS_ENV if name in os.environ}
    try:
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except BotoCoreError:
        frozen = None
    if frozen is not None and frozen.access_key and frozen.secret_key:
        out["AWS_ACCESS_KEY_ID"] = frozen.access_key
        out["AWS_SECRET_ACCESS_KEY"] = frozen.secret_key
        if frozen.token:
            out["AWS_SESSION_TOKEN"] = frozen.token
    if session.region_name:
        out["AWS_DEFAULT_REGION"] = session.region_name
    return out


def _timeout(extra: dict[str, Any], name: str, variable: str, default: float,
             environment: dict[str, str]) -> float:
    """A timeout from ``options.extra``, else from the environment variable, else the
    default; a usage error when it is not a positive number."""
    if extra.get(name) is not None:
        return float(_number(extra, name, default))
    return float(_number(environment, variable, default))


def _number(extra: dict[str, Any], name: str, default: float) -> Any:
    """A positive number option (int when the default is), or a usage error."""
    value = extra.get(name)
    if value is None:
        return default
    try:
        number = type(default)(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        label = name if name.isupper() else name.replace("_", " ")  # an environment variable
        raise UsageError(f"{label} must be a positive number, not {value!r}")
    return number


class Clients:
    """S3 clients of one process, one per region, from the standard chain and the options.

    Not pickled (a connector travelling to a worker rebuilds its clients there, with the
    driver's ``environment``: ``driver_environment``)."""

    def __init__(self, extra: dict[str, Any] | None = None,
                 environment: dict[str, str] | None = None) -> None:
        extra = extra or {}
        self._environment = dict(environment or {})
        env = {**os.environ, **self._environment}  # the driver's settings win on a worker
        self.endpoint_url: str | None = extra.get("endpoint_url") or None
        #: the cloud a custom endpoint fronts (a proxy or gateway to AWS, OSS...), when the
        #: caller knows it: its region names are then that cloud's
        self._provider: str | None = extra.get("provider") or None
        if self._provider is not None and self._provider not in PROVIDERS:
            raise UsageError(f"provider must be one of {', '.join(PROVIDERS)}, not "
                             f"{self._provider!r}")
        mode = str(extra.get("retry_mode") or env.get("AWS_RETRY_MODE")
                   or DEFAULT_RETRY_MODE)
        if mode not in ("standard", "adaptive", "legacy"):
            raise UsageError(f"retry mode must be standard, adaptive or legacy, not {mode!r}")
        # total_max_attempts counts the first try (botocore's max_attempts counts retries);
        # AWS_MAX_ATTEMPTS counts it too
        if extra.get("max_attempts") is not None:
            attempts = _number(extra, "max_attempts", DEFAULT_MAX_ATTEMPTS)
        else:
            attempts = _number(env, "AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
        retries = {"mode": mode, "total_max_attempts": attempts}
        s3: dict[str, Any] = {}
        if extra.get("addressing_style"):
            s3["addressing_style"] = str(extra["addressing_style"])
        self._config = Config(
            retries=retries,  # type: ignore[arg-type]
            connect_timeout=_timeout(extra, "connect_timeout", CONNECT_TIMEOUT_ENV,
                                     DEFAULT_CONNECT_TIMEOUT, env),
            read_timeout=_timeout(extra, "read_timeout", READ_TIMEOUT_ENV,
                                  DEFAULT_READ_TIMEOUT, env),
            user_agent_extra="pia", s3=s3 or None,
        )
        #: the same, trying each request once: for an endpoint that just left one unanswered
        self._once = self._config.merge(Config(retries={"mode": mode, "total_max_attempts": 1}))
        self._session: boto3.session.Session | None = None
        self._clients: dict[tuple[str | None, bool], Any] = {}
        self._lock = threading.Lock()

    def session(self) -> boto3.session.Session:
        if self._session is None:
            try:
                self._session = _new_session(self._environment)
            except ProfileNotFound as err:
                raise SourceError(f"s3: {classify(err).reason}") from None
        return self._session

    def get(self, region: str | None = None, once: bool = False) -> Any:
        """The client for ``region`` (``None``: the configured default region); ``once``: one
        that does not retry, for an endpoint that has just left a request unanswered
        (``outage``): each further silence then costs one read timeout, not attempts × it."""
        with self._lock:
            client = self._clients.get((region, once))
            if client is None:
                try:
                    client = self.session().client(
                        "s3", region_name=region or None, endpoint_url=self.endpoint_url,
                        config=self._once if once else self._config)
                except InvalidRegionError:
                    name = region or self.session().region_name
                    raise SourceError(f"s3: region {name!r} is not a region name") from None
                except (BotoCoreError, ValueError) as err:
                    reason = classify(err).reason if isinstance(err, BotoCoreError) else (
                        endpoint_problem(self.endpoint_url)
                        or f"{ENVIRONMENT_ENDPOINT} is not a URL ({ENDPOINT_SHAPE})")
                    raise SourceError(f"s3: {reason}") from None
                if self.endpoint_url is None:  # botocore fails on a query only when asked
                    problem = endpoint_problem(client.meta.endpoint_url, ENVIRONMENT_ENDPOINT)
                    if problem:
                        raise SourceError(f"s3: {problem}")
                _scrub_logs()
                self._clients[region, once] = client
            return client

    @property
    def endpoint(self) -> str:
        """The endpoint actually used (explicit, from the environment, or AWS's), as
        ``scheme://host[:port]`` without credentials."""
        parts = urlsplit(self.get().meta.endpoint_url)
        return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port
                                                               else "")

    @property
    def provider(self) -> str:
        """``aws``, ``aliyun``, ``tencent``, ``huawei`` or ``CUSTOM`` (see ``provider_of``)."""
        return self._provider or provider_of(self.endpoint_url or self.get().meta.endpoint_url)
