"""Password hashing (argon2id) and token hashing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from portal import security
from portal.security import hash_password, hash_token, needs_rehash, verify_password
from tests.conftest import PRODUCTION_HASHER


@pytest.fixture(autouse=True)
def production_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests check the product's own argon2 parameters, not the suite's cheap ones."""
    monkeypatch.setattr(security, "_hasher", PRODUCTION_HASHER)
    yield


def test_hash_is_argon2id_and_salted() -> None:
    first, second = hash_password("s3cret pässwörd"), hash_password("s3cret pässwörd")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "s3cret pässwörd")
    assert verify_password(second, "s3cret pässwörd")


def test_wrong_or_malformed_never_matches() -> None:
    stored = hash_password("right")
    assert not verify_password(stored, "wrong")
    assert not verify_password(stored, "")
    assert not verify_password("", "right")
    assert not verify_password("not-a-hash", "right")
    assert not verify_password(stored[:-4], "right")


def test_needs_rehash_for_weaker_parameters() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("pw")
    assert verify_password(weak, "pw")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("pw"))
    # the cost the suite's other tests skip is the product's: argon2-cffi's RFC 9106 profile
    assert hash_password("pw").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert needs_rehash("garbage")


def test_token_hash_is_sha256_hex() -> None:
    digest = hash_token("abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
