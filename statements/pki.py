"""Concord's own small PKI: root CA, issuing CA, company certificate and per-user certificates.

Everything lives under one directory (the portal uses ``instance/pki``). Private keys are PEM
files encrypted with a passphrase and readable by the owner only (mode 0600). Loaded keys are
cached per process, so signing does not pay for key derivation each time.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .errors import PKIError

ROOT = "root-ca"
ISSUING = "issuing-ca"
COMPANY = "company"
#: a leaf certificate is renewed this long before it expires
RENEW_BEFORE = dt.timedelta(days=30)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class SignerMaterial:
    """A private key, its certificate and the chain up to (and including) the root."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def subject(self) -> str:
        """The certificate's subject as an RFC 4514 string."""
        return self.certificate.subject.rfc4514_string()


def _clip(value: str, limit: int = 64) -> str:
    """Shorten ``value`` to ``limit`` UTF-8 bytes (X.509's cap), never splitting a character.

    A bilingual name ("Acme Co., Ltd. / 某某有限公司") too long as a whole keeps one whole
    half rather than a name cut in the middle.
    """
    if len(value.encode()) <= limit:
        return value
    for part in (p.strip() for p in value.split(" / ")):
        if part and len(part.encode()) <= limit and part != value:
            return part
    return value.encode()[:limit].decode(errors="ignore").strip() or "?"


def _name(common_name: str, organisation: str | None = None, email: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, _clip(common_name))]
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _clip(organisation)))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, _clip(email, 128)))
    return x509.Name(attrs)


#: the flags of the X.509 key usage extension (cryptography wants every one named)
_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _key_usage(granted: set[str]) -> x509.KeyUsage:
    """Return a key usage extension that grants exactly ``granted``."""
    unknown = granted.difference(_KEY_USAGES)
    if unknown:
        raise ValueError(f"unknown key usage: {sorted(unknown)}")
    return x509.KeyUsage(**{name: name in granted for name in _KEY_USAGES})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file only the owner can read (replacing it atomically)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


class ConcordPKI:
    """Create on first use, then load, the certificates Concord signs statements with.

    :param directory: where keys and certificates live (created with mode 0700).
    :param passphrase: encrypts every private key; the same one is needed to load them.
    :param company_name: subject of the company certificate when it is first created.
    """

    def __init__(
        self,
        directory: Path | str,
        passphrase: str | bytes,
        *,
        company_name: str = "Concord",
        organisation: str = "Concord",
        key_size: int = 2048,
    ) -> None:
        if not passphrase:
            raise PKIError("a passphrase is required to protect the signing keys")
        self.directory = Path(directory)
        self._passphrase = passphrase.encode() if isinstance(passphrase, str) else passphrase
        self.company_name = company_name
        self.organisation = organisation
        self.key_size = key_size
        self._lock = threading.RLock()
        self._keys: dict[tuple[Path, int], rsa.RSAPrivateKey] = {}
        self._certs: dict[tuple[Path, int], x509.Certificate] = {}

    # -- files ------------------------------------------------------------------------------

    def _paths(self, name: str) -> tuple[Path, Path]:
        return self.directory / f"{name}.key.pem", self.directory / f"{name}.cert.pem"

    @property
    def root_path(self) -> Path:
        """The root CA certificate (PEM): the trust anchor verifiers are given."""
        return self._paths(ROOT)[1]

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Serialise creation across threads and processes (two workers starting at once)."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.directory / "users").mkdir(exist_ok=True, mode=0o700)
        with self._lock, open(self.directory / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _load_key(self, path: Path) -> rsa.RSAPrivateKey:
        stamp = (path, path.stat().st_mtime_ns)
        cached = self._keys.get(stamp)
        if cached is not None:
            return cached
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), self._passphrase)
        except (ValueError, TypeError) as exc:
            raise PKIError(f"cannot load {path.name}: wrong passphrase or damaged key") from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise PKIError(f"{path.name} is not an RSA key")
        self._keys[stamp] = key
        return key

    def _load_cert(self, path: Path) -> x509.Certificate:
        stamp = (path, path.stat().st_mtime_ns)
        cached = self._certs.get(stamp)
        if cached is None:
            try:
                cached = x509.load_pem_x509_certificate(path.read_bytes())
            except ValueError as exc:
                raise PKIError(f"cannot load certificate {path.name}: {exc}") from exc
            self._certs[stamp] = cached
        return cached

    def _store(self, name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate) -> None:
        key_path, cert_path = self._paths(name)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        _write_private(key_path, pem)
        _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
        self._keys[(key_path, key_path.stat().st_mtime_ns)] = key

    # -- issuing ----------------------------------------------------------------------------

    def _issue(
        self,
        *,
        subject: x509.Name,
        issuer_key: rsa.RSAPrivateKey | None,
        issuer_cert: x509.Certificate | None,
        ca_path_length: int | None,
        days: int,
        profile: str,
        email: str | None = None,
        key_size: int | None = None,
    ) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=key_size or self.key_size)
        now = _now()
        signer_key = issuer_key or key
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject if issuer_cert else subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
                critical=False,
            )
        )
        is_ca = ca_path_length is not None
        builder = builder.add_extension(
            x509.BasicConstraints(ca=is_ca, path_length=ca_path_length), critical=True
        )
        usages = {"key_cert_sign", "crl_sign"} if is_ca else {"digital_signature"}
        if profile in ("signer", "tsa"):
            usages.add("content_commitment")
        builder = builder.add_extension(_key_usage(usages), critical=True)
        if profile == "tsa":
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
        return key, builder.sign(signer_key, hashes.SHA256())

    def ensure(self) -> None:
        """Create the root CA, the issuing CA and the company certificate if missing."""
        with self._file_lock():
            root_key_path, root_cert_path = self._paths(ROOT)
            if not root_cert_path.exists():
                key, cert = self._issue(
                    subject=_name(f"{self.organisation} Root CA", self.organisation),
                    issuer_key=None,
                    issuer_cert=None,
                    ca_path_length=1,
                    days=20 * 365,
                    profile="ca",
                    key_size=max(3072, self.key_size),
                )
                self._store(ROOT, key, cert)
            if not self._paths(ISSUING)[1].exists():
                key, cert = self._issue(
                    subject=_name(f"{self.organisation} Issuing CA", self.organisation),
                    issuer_key=self._load_key(root_key_path),
                    issuer_cert=self._load_cert(root_cert_path),
                    ca_path_length=0,
                    days=10 * 365,
                    profile="ca",
                    key_size=max(3072, self.key_size),
                )
                self._store(ISSUING, key, cert)
            company_cert = self._paths(COMPANY)[1]
            if not company_cert.exists() or self._expiring(self._load_cert(company_cert)):
                self._issue_leaf(
                    COMPANY, _name(self.company_name, self.organisation), None, "signer", 3 * 365
                )

    @staticmethod
    def _expiring(cert: x509.Certificate) -> bool:
        return cert.not_valid_after_utc - RENEW_BEFORE < _now()

    def _issue_leaf(
        self, name: str, subject: x509.Name, email: str | None, profile: str, days: int
    ) -> None:
        issuing_key, issuing_cert = self._paths(ISSUING)
        key, cert = self._issue(
            subject=subject,
            issuer_key=self._load_key(issuing_key),
            issuer_cert=self._load_cert(issuing_cert),
            ca_path_length=None,
            days=days,
            profile=profile,
            email=email,
        )
        self._store(name, key, cert)

    def _material(self, name: str) -> SignerMaterial:
        key_path, cert_path = self._paths(name)
        return SignerMaterial(
            key=self._load_key(key_path),
            certificate=self._load_cert(cert_path),
            chain=(self._load_cert(self._paths(ISSUING)[1]), self.root_certificate()),
        )

    # -- public -----------------------------------------------------------------------------

    def root_certificate(self) -> x509.Certificate:
        """Return the root CA certificate (created on first use)."""
        if not self.root_path.exists():
            self.ensure()
        return self._load_cert(self.root_path)

    def intermediates(self) -> tuple[x509.Certificate, ...]:
        """Return the CA certificates between the root and the leaves."""
        self.root_certificate()
        return (self._load_cert(self._paths(ISSUING)[1]),)

    def company(self) -> SignerMaterial:
        """Return the company's signing key and certificate (created on first use)."""
        cert_path = self._paths(COMPANY)[1]
        if not cert_path.exists() or self._expiring(self._load_cert(cert_path)):
            self.ensure()
        return self._material(COMPANY)

    def user(self, user_id: str, *, name: str, email: str, company: str) -> SignerMaterial:
        """Return the certificate held on a customer user's behalf, issuing it on demand.

        A new certificate is issued when the user's name, email or company changed, or when
        the current one is about to expire.

        :param user_id: a stable id such as ``"user-17"`` (letters, digits, ``._-``).
        """
        if not _SAFE_ID.match(user_id):
            raise PKIError(f"unsafe user id for a file name: {user_id!r}")
        digest = hashlib.sha256("\x1f".join((name, email, company)).encode()).hexdigest()[:16]
        file_id = f"users/{user_id}-{digest}"
        cert_path = self._paths(file_id)[1]
        if cert_path.exists() and not self._expiring(self._load_cert(cert_path)):
            return self._material(file_id)
        self.ensure()
        with self._file_lock():
            # another process may have issued it while we waited for the lock
            if not cert_path.exists() or self._expiring(self._load_cert(cert_path)):
                self._issue_leaf(file_id, _name(name, company, email), email, "signer", 2 * 365)
        return self._material(file_id)

    def issue_tsa(self, name: str = "Concord Test TSA") -> SignerMaterial:
        """Issue (or load) a time-stamping certificate under the issuing CA (offline tests)."""
        file_id = "tsa"
        self.ensure()
        with self._file_lock():
            if not self._paths(file_id)[1].exists():
                self._issue_leaf(file_id, _name(name, self.organisation), None, "tsa", 5 * 365)
        return self._material(file_id)
