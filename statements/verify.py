"""Verify a signed statement offline: every signature intact, trusted and followed only by
changes its DocMDP permissions allow."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography import x509
from pyhanko.pdf_utils.generic import DictionaryObject, StreamObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from .errors import VerificationError
from .sign import CUSTOMER_FIELD, validation_context

#: changes after a signature that do not count against it (DSS/timestamps, filling fields)
ALLOWED_LEVELS = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)


@dataclass(frozen=True, kw_only=True)
class SignatureReport:
    """What verification found about one signature field."""

    field_name: str
    kind: Literal["certification", "approval", "unreadable"]
    signer: str | None = None
    signer_email: str | None = None
    signer_subject: str | None = None
    signing_time: dt.datetime | None = None
    timestamp: dt.datetime | None = None
    timestamp_trusted: bool | None = None
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    trust_chain: tuple[str, ...] = ()
    coverage: str | None = None
    modification_level: str | None = None
    docmdp_ok: bool | None = None
    docmdp_permission: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when verification found no problem with this signature."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "field": self.field_name,
            "kind": self.kind,
            "signer": self.signer,
            "signer_email": self.signer_email,
            "signer_subject": self.signer_subject,
            "signing_time": _iso(self.signing_time),
            "timestamp": _iso(self.timestamp),
            "timestamp_trusted": self.timestamp_trusted,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "trust_chain": list(self.trust_chain),
            "coverage": self.coverage,
            "modification_level": self.modification_level,
            "docmdp_ok": self.docmdp_ok,
            "docmdp_permission": self.docmdp_permission,
            "ok": self.ok,
            "problems": list(self.problems),
        }


@dataclass(frozen=True, kw_only=True)
class VerificationReport:
    """The verdict on a whole PDF: its signatures and document-level problems."""

    signatures: tuple[SignatureReport, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True only when every signature is intact and trusted and nothing disallowed followed."""
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    @property
    def all_problems(self) -> list[str]:
        """Every problem, prefixed with the signature field it concerns."""
        out = list(self.problems)
        for sig in self.signatures:
            out += [f"{sig.field_name}: {p}" for p in sig.problems]
        return out

    @property
    def approval(self) -> SignatureReport | None:
        """The customer's approval signature, if the document has one."""
        return next((s for s in self.signatures if s.field_name == CUSTOMER_FIELD), None)

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "ok": self.ok,
            "problems": self.all_problems,
            "signatures": [s.to_json() for s in self.signatures],
        }


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def _subject_attr(name: Any, key: str) -> str | None:
    value = name.native.get(key)
    if isinstance(value, list):
        value = value[-1] if value else None
    return str(value) if value is not None else None


def verify_pdf(
    data: bytes,
    *,
    trust_roots: Sequence[x509.Certificate],
    intermediates: Sequence[x509.Certificate] = (),
    require_approval: bool = False,
) -> VerificationReport:
    """Verify every signature of a statement PDF against ``trust_roots`` (offline).

    :param trust_roots: the only roots a signer's (and a timestamp's) chain may end in.
    :param intermediates: extra CA certificates for chain building (signatures embed theirs).
    :param require_approval: also fail when the customer's approval signature is absent.
    :raises VerificationError: when no trust root is given.
    """
    if not trust_roots:
        raise VerificationError("no trust root given: cannot decide whether signers are trusted")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sig_fields = list(fields.enumerate_sig_fields(reader))
    except Exception as exc:  # any parse failure means the file is not a readable PDF
        return VerificationReport(signatures=(), problems=(f"not a readable PDF: {exc}",))

    reports: list[tuple[int, SignatureReport]] = []
    problems: list[str] = []
    certified = False
    for name, value, field_ref in sig_fields:
        if value is None:
            if _has_visible_appearance(field_ref.get_object()):
                problems.append(
                    f"field {name} shows a signature appearance but holds no signature "
                    "(a signature was removed)"
                )
            continue
        revision, report = _verify_one(reader, name, field_ref, trust_roots, intermediates)
        certified = certified or report.kind == "certification"
        reports.append((revision, report))
    # fields are listed in form order; signatures are judged in the order they were made
    ordered = tuple(report for _, report in sorted(reports, key=lambda pair: pair[0]))

    if not ordered:
        problems.append("the document carries no signature")
    elif not certified:
        problems.append("the document is not certified (no DocMDP certification signature)")
    elif ordered[0].kind != "certification":
        problems.append("the certification signature is not the first signature")
    if require_approval and not any(r.field_name == CUSTOMER_FIELD for r in ordered):
        problems.append("the customer's approval signature is missing")
    return VerificationReport(signatures=ordered, problems=tuple(problems))


def _has_visible_appearance(sig_field: DictionaryObject) -> bool:
    """Tell whether an unsigned field draws something (e.g. a leftover approval stamp)."""
    widgets = [sig_field]
    if "/Kids" in sig_field:
        widgets = [kid.get_object() for kid in sig_field["/Kids"]]
    for widget in widgets:
        try:
            normal = widget["/AP"]["/N"]
        except KeyError:
            continue
        stream = normal.get_object()
        if isinstance(stream, StreamObject) and stream.data.strip():
            return True
    return False


def _verify_one(
    reader: PdfFileReader,
    name: str,
    field_ref: Any,
    trust_roots: Sequence[x509.Certificate],
    intermediates: Sequence[x509.Certificate],
) -> tuple[int, SignatureReport]:
    """Return the revision the signature covers (for ordering) and its report."""
    unknown_revision = 1 << 30
    try:
        embedded = EmbeddedPdfSignature(reader, field_ref, name)
        revision = embedded.signed_revision
    except Exception as exc:  # stripped or mangled /Contents: the CMS does not parse
        return unknown_revision, SignatureReport(
            field_name=name,
            kind="unreadable",
            problems=(f"the signature value is missing or damaged ({_short(exc)})",),
        )
    kind: Literal["certification", "approval"] = (
        "certification" if embedded.docmdp_level is not None else "approval"
    )
    context = validation_context(trust_roots, intermediates)
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:  # pyHanko raises on structurally broken signatures
        return revision, SignatureReport(
            field_name=name,
            kind=kind,
            problems=(f"the signature cannot be validated ({_short(exc)})",),
        )
    return revision, _report(name, kind, embedded, status)


def _short(error: object, limit: int = 240) -> str:
    """First line of an error message, shortened (pyHanko's can run to pages)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _report(
    name: str,
    kind: Literal["certification", "approval"],
    embedded: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
) -> SignatureReport:
    problems: list[str] = []
    if not status.intact:
        problems.append("the signed bytes were changed after signing (digest mismatch)")
    elif not status.valid:
        problems.append("the cryptographic signature does not verify")
    if status.intact and status.valid and not status.trusted:
        problems.append("the signer's certificate does not chain to a trusted Concord root")
    coverage = status.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append("the signature does not cover a whole revision of the file")
    level = status.modification_level
    if level is None or level not in ALLOWED_LEVELS:
        detail = f": {_short(status.diff_result)}" if status.diff_result is not None else ""
        problems.append(
            f"disallowed changes were made after this signature ({_level(level)}){detail}"
        )
    if status.docmdp_ok is False:
        problems.append("changes after this signature break the document's DocMDP permissions")
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        problems.append("the signature's timestamp is not valid or not trusted")

    cert = status.signing_cert
    chain: tuple[str, ...] = ()
    if status.validation_path is not None:
        chain = tuple(
            c.subject.human_friendly for c in status.validation_path.iter_certs(include_root=True)
        )
    docmdp = embedded.docmdp_level
    return SignatureReport(
        field_name=name,
        kind=kind,
        signer=_subject_attr(cert.subject, "common_name"),
        signer_email=_subject_attr(cert.subject, "email_address"),
        signer_subject=cert.subject.human_friendly,
        signing_time=status.signer_reported_dt,
        timestamp=ts.timestamp if ts is not None else None,
        timestamp_trusted=ts.trusted if ts is not None else None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        trust_chain=chain,
        coverage=coverage.name.lower() if coverage is not None else None,
        modification_level=_level(level),
        docmdp_ok=status.docmdp_ok,
        docmdp_permission=docmdp.name.lower() if docmdp is not None else None,
        problems=tuple(problems),
    )


def _level(level: ModificationLevel | None) -> str:
    return level.name.lower() if level is not None else "unknown (suspicious modification)"
