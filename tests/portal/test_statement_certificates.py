"""The certificates a new instance signs statements with name the company, not the software.

An auditor opening a signed statement in a PDF reader sees the chain: "Hangzhou Qinghe Trading
Co., Ltd. Root CA" tells whose statement it is; "Concord Root CA" told only which program made
it.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from portal import create_app
from portal.statements.service import pki_for_app
from tests.conftest import base_config

COMPANY = "Hangzhou Qinghe Trading Co., Ltd. / 杭州青禾贸易有限公司"


def _subject(path: Path) -> dict[str, str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return {
        "cn": str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value),
        "o": str(cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value),
    }


def test_a_new_instance_certifies_in_the_company_s_name(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    app = create_app(base_config(tmp_path, INSTANCE_PATH=str(instance), COMPANY_NAME=COMPANY))
    pki = pki_for_app(app)
    pki.ensure()
    pem = instance / "pki"
    assert _subject(pem / "root-ca.cert.pem") == {
        "cn": "Hangzhou Qinghe Trading Co., Ltd. Root CA",
        "o": "Hangzhou Qinghe Trading Co., Ltd.",
    }
    assert _subject(pem / "issuing-ca.cert.pem")["cn"] == (
        "Hangzhou Qinghe Trading Co., Ltd. Issuing CA"
    )
    # the whole bilingual name is over X.509's 64 bytes here: one whole half is kept
    assert _subject(pem / "company.cert.pem") == {
        "cn": "Hangzhou Qinghe Trading Co., Ltd.",
        "o": "Hangzhou Qinghe Trading Co., Ltd.",
    }
