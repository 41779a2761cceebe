"""Sign statements with pyHanko: the company's certification and the customer's approval.

The company certifies an issued statement (DocMDP: only further signatures may follow); a
customer user's approval is added later as an incremental update with a visible stamp in the
signature field that rendering reserved on the last page. Each signature returns an
:class:`EvidenceRecord` describing what was signed, by whom, when and how.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import io
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .errors import SigningError
from .fonts import FontChoice, statement_font
from .model import Language
from .pki import SignerMaterial
from .render import SIGNATURE_BOX_SIZE, SignatureBox

#: the company's certification signature
COMPANY_FIELD = "ConcordCertification"
#: the customer's approval signature; created empty at certification, filled on confirmation
CUSTOMER_FIELD = "CustomerApproval"

SignatureKind = Literal["certification", "approval"]


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def utc_now() -> dt.datetime:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, kw_only=True)
class EvidenceRecord:
    """What one signature covered, who made it, when and how they were identified."""

    kind: SignatureKind
    field_name: str
    signer_name: str
    signer_email: str | None
    signer_company: str
    certificate_subject: str
    signed_at: dt.datetime
    ip_address: str | None
    user_agent: str | None
    auth_method: str | None
    consent_text: str | None
    statement_version: int
    hash_before: str
    hash_after: str
    timestamped: bool


@dataclass(frozen=True)
class SignedDocument:
    """A signed PDF and the evidence of the signature just added."""

    pdf: bytes
    evidence: EvidenceRecord


@dataclass(frozen=True, kw_only=True)
class Identity:
    """The person (or company) a signature is made for and how they were identified."""

    name: str
    company: str
    email: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    auth_method: str | None = None
    consent_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class SignatureRequest:
    """Who signs which version of a statement, and how: what :func:`certify` and
    :func:`approve` are both told."""

    #: the signer's key and certificate (:meth:`ConcordPKI.company` or :meth:`ConcordPKI.user`)
    material: SignerMaterial
    #: who the signature is made for and how they were identified (goes into the evidence)
    identity: Identity
    #: the statement's version, recorded in the evidence
    statement_version: int
    #: the statement's language (of the reason and the approval stamp)
    language: Language = "zh"
    #: the signature's reason; default: "statement issued" or "statement confirmed" in
    #: ``language``
    reason: str | None = None
    #: an RFC 3161 client; with one, validation data is embedded (PAdES B-LT)
    timestamper: TimeStamper | None = None
    #: roots for the validation data; default: the top of the signer's chain
    trust_roots: Sequence[x509.Certificate] = ()


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """Convert a cryptography certificate to the asn1crypto form pyHanko uses."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class _CachedKeySigner(signers.SimpleSigner):
    """pyHanko's simple signer, minus re-parsing the private key for every signature.

    ``SimpleSigner.sign_raw`` loads the DER key on each call, and cryptography's RSA key
    checks make that cost more than the signature itself; Concord signs with RSA PKCS#1 v1.5
    only, so the loaded key is kept.
    """

    def __init__(self, material: SignerMaterial, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = material.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":  # pragma: no cover - we never ask
            return bytes(super().sign_raw(data, digest_algorithm))
        return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


_signer_cache: dict[bytes, signers.SimpleSigner] = {}
_signer_lock = threading.Lock()


def pyhanko_signer(material: SignerMaterial) -> signers.SimpleSigner:
    """Return a pyHanko signer for ``material`` (cached per certificate)."""
    fingerprint = material.certificate.fingerprint(hashes.SHA256())
    with _signer_lock:
        cached = _signer_cache.get(fingerprint)
        if cached is None:
            key_der = material.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            cached = _CachedKeySigner(
                material,
                signing_cert=to_asn1(material.certificate),
                signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                    [to_asn1(c) for c in material.chain]
                ),
            )
            _signer_cache[fingerprint] = cached
        return cached


def validation_context(
    trust_roots: Sequence[x509.Certificate], others: Sequence[x509.Certificate] = ()
) -> ValidationContext:
    """Return an offline validation context trusting only ``trust_roots``.

    Concord's own CA publishes no CRL or OCSP service, so revocation is checked where the
    certificates say how ("soft-fail") and never fetched from the network.
    """
    return ValidationContext(
        trust_roots=[to_asn1(c) for c in trust_roots],
        other_certs=[to_asn1(c) for c in others],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


class _PdfBytesPage(ImportedPdfPage):
    """A page imported from an in-memory PDF (pyHanko's own class wants a file name)."""

    def __init__(self, data: bytes, width: float, height: float) -> None:
        super().__init__(file_name="<memory>", page_ix=0)  # type: ignore[no-untyped-call]
        self.data = data
        # known up front, so the stamp is laid out 1:1 instead of guessed from margins
        self.box = BoxConstraints(width=width, height=height)

    def render(self) -> bytes:
        writer: BasePdfFileWriter = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


#: the approval stamp's lines, in the statement's language
STAMP: dict[Language, tuple[str, str, str]] = {
    "zh": ("已确认", "确认人：{who}", "时间：{when}"),
    "en": ("Confirmed", "by {who}", "at {when}"),
}
#: the reasons the signatures give (shown by PDF readers), in the statement's language
SIGNATURE_REASONS: dict[Language, dict[str, str]] = {
    "zh": {"issued": "对账单已出具", "confirmed": "对账单已确认"},
    "en": {"issued": "Statement of account issued", "confirmed": "Statement of account confirmed"},
}


def stamp_text(identity: Identity, signed_at: dt.datetime, language: Language = "zh") -> list[str]:
    """Return the lines of the visible approval stamp in ``language``."""
    who = ", ".join(part for part in (identity.name, identity.company, identity.email) if part)
    when = signed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return [line.format(who=who, when=when) for line in STAMP[language]]


def render_stamp(lines: Sequence[str], font: FontChoice | None = None) -> bytes:
    """Draw the approval stamp as a one-page PDF exactly the size of the signature field."""
    chosen = font or statement_font()
    width, height = SIGNATURE_BOX_SIZE
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    # opaque, so the placeholder's caption underneath does not show through
    canvas.setFillColor(colors.white)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(colors.HexColor("#166534"))
    canvas.setLineWidth(1.5)
    canvas.roundRect(1, 1, width - 2, height - 2, 5)
    canvas.setFillColor(colors.HexColor("#166534"))
    canvas.setFont(chosen.name, 13)
    canvas.drawString(8, height - 20, lines[0])
    size = 9.0
    body: list[str] = []
    for text in lines[1:]:
        body += simpleSplit(text, chosen.name, size, width - 16)
    if len(body) > 4:
        size = 7.0
        body = [
            part for text in lines[1:] for part in simpleSplit(text, chosen.name, size, width - 16)
        ]
    canvas.setFillColor(colors.black)
    canvas.setFont(chosen.name, size)
    y = height - 33
    for text in body[:5]:
        canvas.drawString(8, y, text)
        y -= size + 2
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certify(
    pdf: bytes, request: SignatureRequest, *, signature_box: SignatureBox
) -> SignedDocument:
    """Add the company's certification signature (DocMDP: only further signatures allowed).

    The empty customer signature field is created in the same revision, at ``signature_box``.

    :param pdf: the rendered statement.
    :param request: the company's key and certificate (see :meth:`ConcordPKI.company`), the
        company (and who issued the statement) as the identity, the statement's version.
    :param signature_box: where the renderer reserved the customer's signature field.
    :raises SigningError: when pyHanko cannot sign.
    """
    job = _Signing("certification", COMPANY_FIELD, request, pdf)
    with job.pyhanko_errors():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        fields.append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=CUSTOMER_FIELD,
                on_page=signature_box.page,
                box=signature_box.box,
            ),
        )
        meta = job.metadata(certify=True, docmdp_permissions=MDPPerm.FILL_FORMS)
        signer = job.signer(meta)
    return job.finish(signer, writer)


def approve(
    pdf: bytes, request: SignatureRequest, *, font: FontChoice | None = None
) -> SignedDocument:
    """Add a customer user's approval signature with a visible stamp, as an incremental update.

    :param pdf: the certified statement.
    :param request: the user's key and certificate (see :meth:`ConcordPKI.user`), who confirms
        and how they were identified, the statement's version.
    :param font: the stamp's font; default: :func:`statement_font`.
    :raises SigningError: when the document has no empty customer field or signing fails.
    """
    job = _Signing("approval", CUSTOMER_FIELD, request, pdf)
    stamp = render_stamp(stamp_text(request.identity, job.signed_at, request.language), font)
    with job.pyhanko_errors():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        empty = [
            name
            for name, value, _ in fields.enumerate_sig_fields(writer, filled_status=False)
            if value is None
        ]
        if CUSTOMER_FIELD not in empty:
            raise SigningError("the statement has no unsigned customer signature field")
        meta = job.metadata(contact_info=request.identity.email)
        style = StaticStampStyle(
            background=_PdfBytesPage(stamp, *SIGNATURE_BOX_SIZE),
            border_width=0,
            background_opacity=1.0,
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID,
                y_align=AxisAlignment.ALIGN_MID,
                margins=Margins(left=0, right=0, top=0, bottom=0),
            ),
        )
        signer = job.signer(meta, stamp_style=style)
    return job.finish(signer, writer, existing_fields_only=True)


#: the reason each kind of signature gives unless told one (a key of SIGNATURE_REASONS)
_DEFAULT_REASON: dict[SignatureKind, str] = {"certification": "issued", "approval": "confirmed"}
_FAILED: dict[SignatureKind, str] = {
    "certification": "certification failed",
    "approval": "approval signature failed",
}


@dataclass(frozen=True)
class _Signing:
    """One signature being made: what its evidence records and the document it goes on."""

    kind: SignatureKind
    field_name: str
    request: SignatureRequest
    pdf: bytes
    signed_at: dt.datetime = field(default_factory=lambda: utc_now())

    @contextmanager
    def pyhanko_errors(self) -> Iterator[None]:
        """Turn whatever pyHanko raises into a :class:`SigningError` naming the signature."""
        try:
            yield
        except SigningError:
            raise
        except Exception as exc:  # pyHanko raises its own and generic errors alike
            raise SigningError(f"{_FAILED[self.kind]}: {exc}") from exc

    def metadata(self, **extra: Any) -> signers.PdfSignatureMetadata:
        """The settings every Concord signature shares (PAdES, SHA-256, LTV data when
        timestamped), the request's reason or this kind's in the statement's language."""
        request = self.request
        default_reason = SIGNATURE_REASONS[request.language][_DEFAULT_REASON[self.kind]]
        return signers.PdfSignatureMetadata(
            field_name=self.field_name,
            subfilter=SigSeedSubFilter.PADES,
            reason=request.reason or default_reason,
            name=request.identity.name,
            md_algorithm="sha256",
            embed_validation_info=request.timestamper is not None,
            validation_context=_ltv_context(request),
            **extra,
        )

    def signer(self, meta: signers.PdfSignatureMetadata, **options: Any) -> signers.PdfSigner:
        """pyHanko's signer for ``meta`` with the request's key and timestamper."""
        material, timestamper = self.request.material, self.request.timestamper
        return signers.PdfSigner(meta, pyhanko_signer(material), timestamper=timestamper, **options)

    def finish(
        self, signer: signers.PdfSigner, writer: IncrementalPdfFileWriter, **options: Any
    ) -> SignedDocument:
        """Sign into a new revision and return it with the signature's evidence."""
        out = io.BytesIO()
        with self.pyhanko_errors():
            signer.sign_pdf(writer, output=out, bytes_reserved=_reserve(self.request), **options)
        after = out.getvalue()
        return SignedDocument(pdf=after, evidence=self._evidence(after))

    def _evidence(self, after: bytes) -> EvidenceRecord:
        """What the signature that turned ``pdf`` into ``after`` covered, who made it and how."""
        material, identity = self.request.material, self.request.identity
        return EvidenceRecord(
            kind=self.kind,
            field_name=self.field_name,
            signer_name=identity.name,
            signer_email=identity.email,
            signer_company=identity.company,
            certificate_subject=material.subject,
            signed_at=self.signed_at,
            ip_address=identity.ip_address,
            user_agent=identity.user_agent,
            auth_method=identity.auth_method,
            consent_text=identity.consent_text,
            statement_version=self.request.statement_version,
            hash_before=sha256(self.pdf),
            hash_after=sha256(after),
            timestamped=self.request.timestamper is not None,
        )


def _reserve(request: SignatureRequest) -> int | None:
    """Bytes to reserve for the CMS: known up front unless a timestamp makes it variable.

    pyHanko otherwise signs twice (a dry run measures the size), which doubles the work.
    """
    if request.timestamper is not None:
        return None
    material = request.material
    certs = sum(
        len(c.public_bytes(serialization.Encoding.DER))
        for c in (material.certificate, *material.chain)
    )
    # certificates + signature + signed attributes with ample headroom, hex-encoded in the PDF
    return 2 * (certs + material.key.key_size // 8 + 4096)


def _ltv_context(request: SignatureRequest) -> ValidationContext | None:
    """The context for embedding validation data (PAdES B-LT), only for timestamped signatures."""
    if request.timestamper is None:
        return None
    chain = request.material.chain
    roots = list(request.trust_roots) or [chain[-1]]
    return validation_context(roots, chain[:-1])
