"""Fixtures of the statements tests: one test PKI per session (RSA key generation is slow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from statements.pki import ConcordPKI
from statements.sign import to_asn1

PASSPHRASE = "statements-test-passphrase"


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def pki(pki_dir: Path) -> ConcordPKI:
    authority = ConcordPKI(pki_dir, PASSPHRASE, company_name="康科德示范贸易有限公司")
    authority.ensure()
    return authority


@pytest.fixture(scope="session")
def timestamper(pki: ConcordPKI) -> DummyTimeStamper:
    """pyHanko's offline test TSA, with a time-stamping certificate from our test CA."""
    tsa = pki.issue_tsa()
    key = tsa.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(
        tsa_cert=to_asn1(tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key),
        certs_to_embed=[to_asn1(c) for c in tsa.chain],
    )
