"""Signing and verifying: certify, approve, timestamp; every kind of tampering is caught."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from statements.errors import PKIError, SigningError, VerificationError
from statements.pki import ConcordPKI, SignerMaterial
from statements.render import RenderedStatement, render_statement
from statements.sign import (
    COMPANY_FIELD,
    CUSTOMER_FIELD,
    Identity,
    SignatureRequest,
    SignedDocument,
    approve,
    certify,
    stamp_text,
)
from statements.timestamps import UrllibTimeStamper
from statements.verify import VerificationReport, verify_pdf

from .conftest import PASSPHRASE
from .helpers import october_ledger, statement

ROOT = Path(__file__).resolve().parents[2]
COMPANY = Identity(name="康科德示范贸易有限公司", company="康科德示范贸易有限公司")
CUSTOMER = Identity(
    name="张伟",
    company="上海宏达电子有限公司",
    email="zhang.wei@hongda.test",
    ip_address="203.0.113.7",
    user_agent="Mozilla/5.0 (test)",
    auth_method="password + email OTP",
    consent_text="I confirm the balance shown.",
)


def issue(
    rendered: RenderedStatement, material: SignerMaterial, timestamper: TimeStamper | None = None
) -> SignedDocument:
    """Certify version 1 of ``rendered`` for COMPANY."""
    request = SignatureRequest(
        material=material, identity=COMPANY, statement_version=1, timestamper=timestamper
    )
    return certify(rendered.pdf, request, signature_box=rendered.signature_box)


def confirm(
    pdf: bytes, material: SignerMaterial, timestamper: TimeStamper | None = None
) -> SignedDocument:
    """Approve version 1 of ``pdf`` as CUSTOMER."""
    request = SignatureRequest(
        material=material, identity=CUSTOMER, statement_version=1, timestamper=timestamper
    )
    return approve(pdf, request)


@pytest.fixture(scope="module")
def rendered() -> RenderedStatement:
    return render_statement(statement(october_ledger()))


@pytest.fixture(scope="module")
def certified(pki: ConcordPKI, rendered: RenderedStatement) -> SignedDocument:
    return issue(rendered, pki.company())


@pytest.fixture(scope="module")
def customer_material(pki: ConcordPKI) -> SignerMaterial:
    return pki.user(
        "user-17", name=CUSTOMER.name, email=CUSTOMER.email or "", company=CUSTOMER.company
    )


@pytest.fixture(scope="module")
def confirmed(certified: SignedDocument, customer_material: SignerMaterial) -> SignedDocument:
    return confirm(certified.pdf, customer_material)


def check(pki: ConcordPKI, data: bytes, **kwargs: bool) -> VerificationReport:
    return verify_pdf(data, trust_roots=[pki.root_certificate()], **kwargs)


def self_signed(common_name: str) -> SignerMaterial:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return SignerMaterial(key=key, certificate=cert, chain=(cert,))


# -- signing ----------------------------------------------------------------------------------


def test_certified_statement_verifies(pki: ConcordPKI, certified: SignedDocument) -> None:
    report = check(pki, certified.pdf)

    assert report.ok, report.all_problems
    (sig,) = report.signatures
    assert sig.field_name == COMPANY_FIELD
    assert sig.kind == "certification"
    assert sig.docmdp_permission == "fill_forms"
    assert sig.signer == "康科德示范贸易有限公司"
    assert sig.intact and sig.valid and sig.trusted
    assert sig.trust_chain[0].endswith("Concord Root CA")
    assert sig.trust_chain[-1].endswith("康科德示范贸易有限公司")
    assert sig.timestamp is None
    assert report.approval is None
    # the customer's field is there, empty, waiting on the last page
    reader = PdfFileReader(io.BytesIO(certified.pdf))
    empty = [name for name, value, _ in fields.enumerate_sig_fields(reader) if value is None]
    assert empty == [CUSTOMER_FIELD]


def test_certification_evidence(certified: SignedDocument, rendered: RenderedStatement) -> None:
    evidence = certified.evidence
    assert evidence.kind == "certification"
    assert evidence.hash_before == hashlib.sha256(rendered.pdf).hexdigest()
    assert evidence.hash_after == hashlib.sha256(certified.pdf).hexdigest()
    assert evidence.signed_at.tzinfo is dt.UTC
    assert "康科德示范贸易有限公司" in evidence.certificate_subject


def test_approval_is_an_incremental_update_that_verifies(
    pki: ConcordPKI, certified: SignedDocument, confirmed: SignedDocument
) -> None:
    assert confirmed.pdf.startswith(certified.pdf)
    report = check(pki, confirmed.pdf, require_approval=True)

    assert report.ok, report.all_problems
    assert [s.field_name for s in report.signatures] == [COMPANY_FIELD, CUSTOMER_FIELD]
    company, customer = report.signatures
    assert company.modification_level == "form_filling"
    assert company.docmdp_ok is True
    assert customer.kind == "approval"
    assert customer.signer == "张伟"
    assert customer.signer_email == "zhang.wei@hongda.test"
    assert customer.modification_level == "none"
    assert customer.coverage == "entire_file"

    evidence = confirmed.evidence
    assert evidence.kind == "approval"
    assert evidence.hash_before == hashlib.sha256(certified.pdf).hexdigest()
    assert evidence.hash_after == hashlib.sha256(confirmed.pdf).hexdigest()
    assert (evidence.ip_address, evidence.user_agent) == ("203.0.113.7", "Mozilla/5.0 (test)")
    assert evidence.auth_method == "password + email OTP"
    assert evidence.consent_text == "I confirm the balance shown."
    assert evidence.statement_version == 1


def test_approval_stamp_is_visible_on_the_last_page(
    confirmed: SignedDocument, rendered: RenderedStatement
) -> None:
    reader = PdfFileReader(io.BytesIO(confirmed.pdf))
    (field_ref,) = [
        ref for name, _, ref in fields.enumerate_sig_fields(reader) if name == CUSTOMER_FIELD
    ]
    widget = field_ref.get_object()
    rect = [float(v) for v in widget["/Rect"]]
    assert rect == [float(v) for v in rendered.signature_box.box]
    last_page = reader.root["/Pages"]["/Kids"][-1].get_object()
    assert widget["/P"].get_object() is last_page or widget["/P"] == last_page
    appearance = widget["/AP"]["/N"].get_object()
    assert isinstance(appearance, generic.StreamObject)
    assert appearance.data.strip()  # draws the imported stamp


def test_signing_twice_is_refused(
    confirmed: SignedDocument, customer_material: SignerMaterial
) -> None:
    with pytest.raises(SigningError, match="no unsigned customer signature field"):
        confirm(confirmed.pdf, customer_material)


def test_timestamped_signatures_embed_validation_data(
    pki: ConcordPKI,
    rendered: RenderedStatement,
    customer_material: SignerMaterial,
    timestamper: DummyTimeStamper,
) -> None:
    issued = issue(rendered, pki.company(), timestamper)
    signed = confirm(issued.pdf, customer_material, timestamper)
    assert signed.evidence.timestamped

    report = check(pki, signed.pdf, require_approval=True)
    assert report.ok, report.all_problems
    for sig in report.signatures:
        assert sig.timestamp is not None
        assert sig.timestamp_trusted is True
        assert abs(sig.timestamp - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    # PAdES B-LT: a document security store with the certificates, for offline validation
    dss = PdfFileReader(io.BytesIO(signed.pdf)).root["/DSS"]
    assert len(dss["/Certs"]) >= 3


def test_urllib_timestamper_talks_rfc3161_over_http(
    pki: ConcordPKI, rendered: RenderedStatement, timestamper: DummyTimeStamper
) -> None:
    """The portal's TSA client against a local HTTP TSA (answers made by pyHanko's test TSA)."""

    class TSAHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            assert self.headers["Content-Type"] == "application/timestamp-query"
            request = tsp.TimeStampReq.load(body)
            response = asyncio.run(timestamper.async_request_tsa_response(request))
            data = response.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), TSAHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = UrllibTimeStamper(f"http://127.0.0.1:{server.server_port}/tsa", timeout=30)
        signed = issue(rendered, pki.company(), client)
    finally:
        server.shutdown()
        server.server_close()
    (sig,) = check(pki, signed.pdf).signatures
    assert sig.ok and sig.timestamp is not None and sig.timestamp_trusted

    with pytest.raises(SigningError):
        UrllibTimeStamper("file:///etc/passwd")
    unreachable = UrllibTimeStamper("http://127.0.0.1:9/tsa", timeout=2)
    with pytest.raises(SigningError, match=r"TSA|timestamp"):
        issue(rendered, pki.company(), unreachable)


# -- tampering ----------------------------------------------------------------------------------


def _first_byte_range(data: bytes) -> list[int]:
    reader = PdfFileReader(io.BytesIO(data))
    return [int(v) for v in reader.embedded_signatures[0].sig_object["/ByteRange"]]


def test_flipping_one_signed_byte_is_caught(pki: ConcordPKI, confirmed: SignedDocument) -> None:
    data = bytearray(confirmed.pdf)
    offset = data.index(b"/Creator (") + len(b"/Creator (")
    assert offset < _first_byte_range(confirmed.pdf)[1]  # inside the signed range
    data[offset] ^= 0x01

    report = check(pki, bytes(data))
    assert not report.ok
    assert all("digest mismatch" in " ".join(s.problems) for s in report.signatures)


def test_changing_page_content_in_an_incremental_update_is_caught(
    pki: ConcordPKI, confirmed: SignedDocument
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(confirmed.pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 48 Tf 150 400 Td (PAID IN FULL) Tj ET")
    )
    contents = page["/Contents"]
    parts = (
        list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
    )
    page["/Contents"] = generic.ArrayObject([*parts, extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    report = check(pki, out.getvalue())
    assert not report.ok
    company = report.signatures[0]
    assert company.field_name == COMPANY_FIELD
    assert company.intact  # the signed bytes are untouched; what came after is not allowed
    assert company.docmdp_ok is False
    assert any("disallowed changes" in p for p in company.problems)


def test_truncating_to_the_issued_revision_removes_the_confirmation(
    pki: ConcordPKI, certified: SignedDocument, confirmed: SignedDocument
) -> None:
    # cutting the approval revision off leaves the issued statement, company signature intact
    truncated = confirmed.pdf[: len(certified.pdf)]
    assert check(pki, truncated).ok
    # but it no longer proves the customer confirmed
    report = check(pki, truncated, require_approval=True)
    assert not report.ok
    assert report.problems == ("the customer's approval signature is missing",)


def test_stripping_the_customer_signature_value_is_caught(
    pki: ConcordPKI, confirmed: SignedDocument
) -> None:
    data = bytearray(confirmed.pdf)
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    data[start:end] = b"0" * (end - start)

    report = check(pki, bytes(data))
    assert not report.ok
    (broken,) = [s for s in report.signatures if s.field_name == CUSTOMER_FIELD]
    assert broken.kind == "unreadable"
    assert "signature value is missing or damaged" in broken.problems[0]


def test_unsigning_the_customer_field_but_keeping_the_stamp_is_caught(
    pki: ConcordPKI, confirmed: SignedDocument
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(confirmed.pdf))
    for name, _, ref in fields.enumerate_sig_fields(writer):
        if name == CUSTOMER_FIELD:
            field = ref.get_object()
            del field["/V"]
            writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)

    report = check(pki, out.getvalue())
    assert not report.ok
    assert report.approval is None
    assert any("holds no signature" in p for p in report.problems)
    company = report.signatures[0]
    assert not company.ok and company.docmdp_ok is False


def test_foreign_self_signed_approval_is_untrusted(
    pki: ConcordPKI, certified: SignedDocument
) -> None:
    forged = confirm(certified.pdf, self_signed("张伟"))
    report = check(pki, forged.pdf, require_approval=True)
    assert not report.ok
    approval = report.approval
    assert approval is not None
    assert approval.intact and approval.valid and not approval.trusted
    assert approval.problems == (
        "the signer's certificate does not chain to a trusted Concord root",
    )


def test_foreign_recertification_is_untrusted(pki: ConcordPKI, rendered: RenderedStatement) -> None:
    forged = issue(rendered, self_signed("康科德示范贸易有限公司"))
    report = check(pki, forged.pdf)
    assert not report.ok
    assert "does not chain to a trusted Concord root" in report.all_problems[0]


def test_another_installations_root_is_not_trusted(
    tmp_path: Path, confirmed: SignedDocument
) -> None:
    other = ConcordPKI(tmp_path / "other", "other-passphrase")
    report = verify_pdf(confirmed.pdf, trust_roots=[other.root_certificate()])
    assert not report.ok
    assert all(not s.trusted for s in report.signatures)


def test_unsigned_and_unreadable_documents_fail(
    pki: ConcordPKI, rendered: RenderedStatement
) -> None:
    assert check(pki, rendered.pdf).problems == ("the document carries no signature",)
    assert "not a readable PDF" in check(pki, b"%PDF-1.7 garbage").problems[0]
    with pytest.raises(VerificationError):
        verify_pdf(rendered.pdf, trust_roots=[])


# -- keys -----------------------------------------------------------------------------------------


def test_key_files_are_private_and_encrypted(pki: ConcordPKI, pki_dir: Path) -> None:
    pki.company()
    keys = sorted(pki_dir.rglob("*.key.pem"))
    assert {k.name for k in keys} >= {"root-ca.key.pem", "issuing-ca.key.pem", "company.key.pem"}
    for key in keys:
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert key.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(PKIError, match="wrong passphrase"):
        ConcordPKI(pki_dir, "not-the-passphrase").company()
    # the same directory and passphrase load the same certificate (no re-creation)
    again = ConcordPKI(pki_dir, PASSPHRASE).company()
    assert again.certificate == pki.company().certificate


def with_our_authorities(directory: Path, pki: ConcordPKI, company_name: str) -> ConcordPKI:
    """A PKI in ``directory`` holding the session's root and issuing CA, without its company.

    Only the company certificate is issued then (generating two 3072-bit CA keys took seconds).
    """
    directory.mkdir()
    for path in pki.directory.glob("*-ca.*.pem"):
        (directory / path.name).write_bytes(path.read_bytes())
    return ConcordPKI(directory, PASSPHRASE, company_name=company_name)


def test_long_names_are_clipped_to_what_x509_allows(tmp_path: Path, pki: ConcordPKI) -> None:
    name = "Concord Demo Trading Co., Ltd. / 康科德示范贸易有限公司"  # 66 bytes in UTF-8
    cert = with_our_authorities(tmp_path / "pki", pki, name).company().certificate
    (cn,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert isinstance(cn.value, str)
    # a bilingual name too long as a whole keeps one whole half, not a name cut short
    assert cn.value == "Concord Demo Trading Co., Ltd."

    single = "深圳市前海某某国际供应链管理服务有限公司第二分公司"  # 75 bytes, no halves
    cert = with_our_authorities(tmp_path / "pki2", pki, single).company().certificate
    (cn,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert isinstance(cn.value, str)
    assert single.startswith(cn.value) and len(cn.value.encode()) <= 64
    assert cn.value.endswith("第")  # cut between characters, never inside one


def test_user_certificates_are_issued_on_demand(
    pki: ConcordPKI, customer_material: SignerMaterial
) -> None:
    cert = customer_material.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # non-repudiation
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["zhang.wei@hongda.test"]
    assert cert.issuer == pki.intermediates()[0].subject

    same = pki.user(
        "user-17", name="张伟", email="zhang.wei@hongda.test", company="上海宏达电子有限公司"
    )
    assert same.certificate == cert
    renamed = pki.user(
        "user-17", name="张伟明", email="zhang.wei@hongda.test", company="上海宏达电子有限公司"
    )
    assert renamed.certificate != cert
    with pytest.raises(PKIError):
        pki.user("../etc/passwd", name="x", email="x@x.test", company="x")


# -- the command line -----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statements", "verify", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def in_process_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``python -m statements verify ARGS`` run in this process: (exit status, stdout)."""
    from statements import __main__ as cli

    capsys.readouterr()
    status = cli.main(["verify", *args])
    return status, capsys.readouterr().out


def test_cli_verifies_and_reports(
    tmp_path: Path,
    pki: ConcordPKI,
    confirmed: SignedDocument,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the real command, as a process, for a valid document and for a file it cannot read; the
    # other answers come from the same ``main`` in this process (a process costs seconds of CPU)
    good = tmp_path / "signed.pdf"
    good.write_bytes(confirmed.pdf)
    root = str(pki.root_path)

    result = run_cli(str(good), "--trust-root", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "张伟" in result.stdout

    status, out = in_process_cli(capsys, str(good), "--trust-root", root, "--json")
    assert status == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert [s["kind"] for s in report["signatures"]] == ["certification", "approval"]
    assert report["signatures"][1]["signer_email"] == "zhang.wei@hongda.test"

    tampered = tmp_path / "tampered.pdf"
    data = bytearray(confirmed.pdf)
    data[data.index(b"/Creator (") + 10] ^= 0x01
    tampered.write_bytes(bytes(data))
    status, out = in_process_cli(capsys, str(tampered), "--trust-root", root, "--json")
    assert status == 1
    assert json.loads(out)["ok"] is False
    assert "digest mismatch" in " ".join(json.loads(out)["problems"])

    issued_only = tmp_path / "issued.pdf"
    issued_only.write_bytes(
        confirmed.pdf[: confirmed.pdf.rindex(b"%%EOF", 0, len(confirmed.pdf) - 10) + 5]
    )
    status, out = in_process_cli(
        capsys, str(issued_only), "--trust-root", root, "--require-approval"
    )
    assert status == 1
    assert "approval signature is missing" in out

    result = run_cli(str(tmp_path / "missing.pdf"), "--trust-root", root)
    assert result.returncode == 2


def test_the_stamp_speaks_the_statements_language() -> None:
    at = dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.UTC)
    who = "张伟, 上海宏达电子有限公司, zhang.wei@hongda.test"
    when = "2026-11-03 08:30:00 UTC"
    assert stamp_text(CUSTOMER, at, "zh") == ["已确认", f"确认人：{who}", f"时间：{when}"]
    assert stamp_text(CUSTOMER, at, "en") == ["Confirmed", f"by {who}", f"at {when}"]


def test_cli_default_trust_root_is_the_portals_instance_from_any_folder(
    tmp_path: Path,
    pki: ConcordPKI,
    certified: SignedDocument,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``verify FILE.pdf`` without ``--trust-root``: CONCORD_INSTANCE_PATH's root, else the one
    in ./instance, else the checkout's instance/ (the portal's default), whatever the folder."""
    from statements import __main__ as cli

    checkout = tmp_path / "checkout-instance"
    (checkout / "pki").mkdir(parents=True)
    (checkout / "pki" / "root-ca.cert.pem").write_bytes(pki.root_path.read_bytes())
    monkeypatch.setattr(cli, "CHECKOUT_INSTANCE", checkout)
    monkeypatch.delenv("CONCORD_INSTANCE_PATH", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.default_trust_root() == checkout / "pki" / "root-ca.cert.pem"
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(certified.pdf)
    assert cli.main(["verify", str(statement), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    (elsewhere / "instance" / "pki").mkdir(parents=True)
    (elsewhere / "instance" / "pki" / "root-ca.cert.pem").write_bytes(b"")
    assert cli.default_trust_root() == Path("instance") / "pki" / "root-ca.cert.pem"
    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path / "named"))
    assert cli.default_trust_root() is None  # a named instance folder is not second-guessed
