"""Ed25519 signing keys for audit bundles: generate, load, fingerprint.

Ed25519 because its signatures are deterministic (the same manifest always gives the same
bytes, so bundles are reproducible), keys are small, and there are no parameters to get wrong.
The private key is PEM PKCS#8, created with mode 0600 and optionally encrypted under a
passphrase; the public key is PEM SubjectPublicKeyInfo beside it as ``KEYFILE.pub``, the file a
regulator receives. A key is named by its fingerprint, ``SHA256:`` + unpadded base64 of the
SHA-256 of the 32 raw public-key bytes, so that it can be read aloud over the phone and
compared. It looks like the fingerprint ``ssh-keygen -l`` prints but is not that one, which
hashes the key's OpenSSH wire form (its type, then the key): a ``--revoked`` list may name a
trusted key by either (``match_revoked``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pia.bundle.safezip import read_file
from pia.errors import ConfigError, UsageError
from pia.printable import printable

MAX_KEY_FILE = 64 * 1024
MAX_REVOKED_FILE = 1024 * 1024
#: a key's name as ``fingerprint`` writes it: 32 bytes of SHA-256, unpadded base64
FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """``SHA256:<base64>`` of the raw public key: the name under which a key is trusted."""
    digest = hashlib.sha256(public_key.public_bytes(*RAW)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def openssh_fingerprint(public_key: Ed25519PublicKey) -> str:
    """The fingerprint ``ssh-keygen -l`` prints for this key: the SHA-256 of its OpenSSH wire
    form (``string "ssh-ed25519"``, ``string key``), not of the raw key."""
    raw = public_key.public_bytes(*RAW)
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", len(raw)) + raw
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def match_revoked(revoked: dict[str, str], trusted: dict[str, Ed25519PublicKey]
                  ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``revoked`` (as ``load_revoked`` gives it) with each trusted key it names by its
    ``ssh-keygen -l`` fingerprint added under pia's, and the (fingerprint, ``FILE:LINE``)
    entries that name no trusted key: the two fingerprints look alike, and a list written
    with ssh-keygen's revoked nothing, silently (QA)."""
    by_openssh = {openssh_fingerprint(key): name for name, key in trusted.items()}
    out, unmatched = dict(revoked), []
    for entry, where in revoked.items():
        if entry in by_openssh:
            out.setdefault(by_openssh[entry], where)
        elif entry not in trusted:
            unmatched.append((entry, where))
    return out, unmatched


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` from the start (never world-readable for a moment) and
    refuse to overwrite: replacing a signing key by accident cannot be undone."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise UsageError(f"{path} exists; refusing to overwrite a key file") from None
    except OSError as err:
        raise ConfigError(f"cannot create {path}: {err.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)  # the umask may have narrowed it; never widened it


def public_path(key_path: str | Path) -> Path:
    return Path(str(key_path) + ".pub")


def generate_keypair(path: str | Path, passphrase: bytes | None = None) -> str:
    """Write a new private key to ``path`` (0600) and its public key to ``path.pub`` (0644);
    return the fingerprint."""
    path = Path(path)
    pub = public_path(path)
    for existing in (path, pub):
        if existing.exists():
            raise UsageError(f"{existing} exists; refusing to overwrite a key file")
    key = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(path, private_pem, 0o600)
    _write_new(pub, public_pem, 0o644)
    return fingerprint(key.public_key())


def _read(path: str | Path, what: str) -> bytes:
    data = read_file(path, MAX_KEY_FILE, what, ConfigError)
    if len(data) > MAX_KEY_FILE:
        raise ConfigError(f"{what} {path} is larger than {MAX_KEY_FILE} bytes")
    return data


def load_private_key(path: str | Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=passphrase or None)
    except TypeError:
        hint = "is encrypted: give --passphrase-env or --passphrase-file" if not passphrase \
            else "is not encrypted: drop the passphrase option"
        raise ConfigError(f"private key {path} {hint}") from None
    except (ValueError, UnsupportedAlgorithm):
        raise ConfigError(
            f"private key {path} is not a PEM PKCS#8 key, or the passphrase is wrong"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"private key {path} is not an Ed25519 key")
    return key


def parse_public_key(data: bytes, origin: str) -> Ed25519PublicKey:
    """A public key from PEM (``KEYFILE.pub``) or an OpenSSH ``ssh-ed25519`` line."""
    _one_key(data, origin)
    try:
        if data.lstrip().startswith(b"ssh-ed25519"):
            key = serialization.load_ssh_public_key(data.strip())
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise ConfigError(f"public key {origin} is not a PEM or OpenSSH public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"public key {origin} is not an Ed25519 key")
    return key


def _one_key(data: bytes, origin: str) -> None:
    """Refuse a key file holding more than its one key (QA: a second key, or text, after the
    first was ignored in silence, so ``cat a.pub b.pub`` trusted ``a`` alone, and which of two
    keys a file trusted hung on their order). Several keys go in ``--trusted-keys DIR``."""
    text = data.strip()
    if text.startswith(b"ssh-ed25519"):
        extra = b"\n" in text or b"\r" in text
    else:
        end = b"-----END PUBLIC KEY-----"
        extra = text.count(b"-----BEGIN") > 1 or (end in text and not text.endswith(end)) \
            or (b"-----BEGIN" in text and not text.startswith(b"-----BEGIN"))
    if extra:
        raise ConfigError(f"public key {origin} holds more than one key (or text around its key):"
                          " give one key a file; to trust several, put them in a directory and "
                          "give --trusted-keys DIR")


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    return parse_public_key(_read(path, "public key"), str(path))


class TrustedKeys(dict):
    """Public keys by fingerprint, remembering the file each came from (``files``) and the
    directory (``directory``, None for one ``--pubkey``), so that a verdict can say which
    company's key signed: the regulator named the files, not the fingerprints."""

    def __init__(self, directory: str | None = None) -> None:
        super().__init__()
        self.files: dict[str, str] = {}
        self.directory = directory

    def add(self, key: Ed25519PublicKey, path: Path) -> None:
        self[fingerprint(key)] = key
        self.files.setdefault(fingerprint(key), path.name)


def load_trusted_key(path: str | Path) -> TrustedKeys:
    """One ``--pubkey``, as a trust store of one key."""
    keys = TrustedKeys()
    keys.add(load_public_key(path), Path(path))
    return keys


def load_trusted_keys(directory: str | Path) -> TrustedKeys:
    """Every ``*.pub`` in ``directory``, by fingerprint. A file that is not a key is an error:
    a regulator's trust store should hold nothing it does not mean."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(f"trusted keys directory {directory} does not exist")
    keys = TrustedKeys(str(directory))
    for path in sorted(directory.glob("*.pub")):
        key = load_public_key(path)
        named = keys.files.get(fingerprint(key))
        if named:  # the verdict names the signer's file: which of the two would be arbitrary
            raise ConfigError(f"trusted keys directory {directory} holds one key under two "
                              f"names, {named} and {path.name}: keep the file of the company "
                              "it belongs to")
        keys.add(key, path)
    if not keys:
        raise ConfigError(f"no *.pub key in trusted keys directory {directory}")
    return keys


def load_revoked(paths: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The revoked keys of ``--revoked`` files, by fingerprint, each with where it is listed
    (``FILE:LINE``). One fingerprint a line (``SHA256:…`` as keygen and verify print it); ``#``
    starts a comment; blank lines are ignored. Anything else is an error naming the line: a
    revocation that does not parse must not pass silently as no revocation. A line holds no
    date: a bundle's signing time is its signer's own statement, which a stolen key can
    backdate, so a revoked key is refused for every bundle it signed."""
    revoked: dict[str, str] = {}
    for path in paths:
        data = read_file(path, MAX_REVOKED_FILE, "revoked keys file", ConfigError)
        if len(data) > MAX_REVOKED_FILE:
            raise ConfigError(f"revoked keys file {path} is larger than {MAX_REVOKED_FILE} bytes")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError(f"revoked keys file {path} is not UTF-8 text") from None
        for number, line in enumerate(text.splitlines(), 1):
            entry = line.split("#", 1)[0].strip()
            if not entry:
                continue
            where = f"revoked keys file {path}:{number}"
            if FINGERPRINT.match(entry) and not FINGERPRINT.fullmatch(entry):
                raise ConfigError(f"{where}: one fingerprint a line, then nothing but a # "
                                  "comment (a revocation takes no date: it holds for every "
                                  "bundle, whenever it says it was signed)")
            if not FINGERPRINT.fullmatch(entry):
                raise ConfigError(f"{where}: '{printable(entry, 60)}' is not a key fingerprint "
                                  "(SHA256: and 43 base64 characters, as pia keygen prints)")
            revoked.setdefault(entry, f"{path}:{number}")
    return revoked


def read_passphrase(env_var: str | None, file: str | Path | None,
                    environ: dict[str, str]) -> bytes | None:
    """The passphrase from a named environment variable or a file (first line), never from
    the command line itself, where ``ps`` and shell history would show it."""
    if env_var and file:
        raise UsageError("give --passphrase-env or --passphrase-file, not both")
    if env_var:
        value = environ.get(env_var)
        if not value:
            raise UsageError(f"environment variable {env_var} is not set or empty")
        return value.encode("utf-8")
    if file:
        lines = _read(file, "passphrase file").decode("utf-8", "replace").splitlines()
        if not lines or not lines[0]:  # the passphrase is the first line, not the first text
            empty = "its first line is empty" if any(lines) else "it is empty"
            raise UsageError(f"passphrase file {file}: {empty} (the passphrase is its first "
                             "line)")
        return lines[0].encode("utf-8")
    return None
