"""Password hashing with argon2id (argon2-cffi), and helpers for hashing opaque tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults follow RFC 9106's second recommended profile (argon2id, 64 MiB, t=3)
_hasher = PasswordHasher()


def hash_password(pw: str) -> str:
    """Return an argon2id hash of ``pw`` (salted; encodes its own parameters)."""
    return _hasher.hash(pw)


def verify_password(hash: str, pw: str) -> bool:
    """Return whether ``pw`` matches ``hash``; a malformed or empty hash never matches."""
    if not hash:
        return False
    try:
        return _hasher.verify(hash, pw)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(hash: str) -> bool:
    """Return whether ``hash`` was made with weaker parameters than today's (rehash on login)."""
    try:
        return _hasher.check_needs_rehash(hash)
    except (InvalidHashError, ValueError):
        return True


def new_token(nbytes: int = 32) -> str:
    """Return a fresh URL-safe random secret."""
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest of a high-entropy token (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
