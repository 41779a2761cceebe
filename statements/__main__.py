"""``python -m statements verify FILE.pdf [--trust-root ROOT.pem] [--json]``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509

from .errors import StatementError
from .verify import VerificationReport, verify_pdf

#: where the portal keeps Concord's root certificate, used when no --trust-root is given
#: (the portal's instance folder: ``CONCORD_INSTANCE_PATH``, else ``instance/``)
DEFAULT_TRUST_ROOT = (
    Path(os.environ.get("CONCORD_INSTANCE_PATH") or "instance") / "pki" / "root-ca.cert.pem"
)
#: the portal's own default instance folder: ``instance/`` in the checkout
CHECKOUT_INSTANCE = Path(__file__).resolve().parents[1] / "instance"


def default_trust_root() -> Path | None:
    """Return the root certificate to trust when no ``--trust-root`` is given, or None.

    ``CONCORD_INSTANCE_PATH`` when set; otherwise ``instance/`` in the current folder, then the
    checkout's ``instance/`` (the portal's default), so the command works from any folder.
    """
    named = os.environ.get("CONCORD_INSTANCE_PATH")
    folders = [Path(named)] if named else [Path("instance"), CHECKOUT_INSTANCE]
    candidates = [folder / "pki" / "root-ca.cert.pem" for folder in folders]
    return next((path for path in candidates if path.exists()), None)


def _load_roots(paths: Sequence[Path]) -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        if b"-----BEGIN" in data:
            roots += x509.load_pem_x509_certificates(data)
        else:
            roots.append(x509.load_der_x509_certificate(data))
    return roots


def _print_text(path: Path, report: VerificationReport) -> None:
    print(f"{path}: {'VALID' if report.ok else 'INVALID'}")
    for sig in report.signatures:
        print(f"- {sig.field_name} ({sig.kind}): {'ok' if sig.ok else 'FAILED'}")
        if sig.signer_subject:
            print(f"    signer:        {sig.signer_subject}")
        if sig.signing_time:
            print(f"    signing time:  {sig.signing_time.isoformat()}")
        stamp = sig.timestamp.isoformat() if sig.timestamp else "none"
        if sig.timestamp and not sig.timestamp_trusted:
            stamp += " (NOT trusted)"
        print(f"    timestamp:     {stamp}")
        print(f"    intact:        {sig.intact}   valid: {sig.valid}   trusted: {sig.trusted}")
        if sig.trust_chain:
            print(f"    trust chain:   {' <- '.join(reversed(sig.trust_chain))}")
        print(f"    coverage:      {sig.coverage}")
        print(f"    changed after: {sig.modification_level}")
        if sig.docmdp_permission:
            print(f"    DocMDP:        {sig.docmdp_permission}")
        print(f"    DocMDP ok:     {sig.docmdp_ok}")
        for problem in sig.problems:
            print(f"    PROBLEM: {problem}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 only for a fully valid document)."""
    parser = argparse.ArgumentParser(prog="python -m statements")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="verify the signatures of a statement PDF")
    verify.add_argument("file", type=Path)
    verify.add_argument(
        "--trust-root",
        type=Path,
        action="append",
        default=[],
        help=(
            "root CA certificate (PEM/DER) to trust; repeatable "
            f"(default: {DEFAULT_TRUST_ROOT}, else {CHECKOUT_INSTANCE}/pki/root-ca.cert.pem)"
        ),
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument(
        "--require-approval",
        action="store_true",
        help="also fail when the customer's approval signature is absent",
    )
    args = parser.parse_args(argv)
    # pyHanko logs every failed check with a traceback; the report already says what failed
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

    default = default_trust_root()
    roots_paths: list[Path] = args.trust_root or ([default] if default else [])
    try:
        roots = _load_roots(roots_paths)
        data = args.file.read_bytes()
        report = verify_pdf(data, trust_roots=roots, require_approval=args.require_approval)
    except (OSError, ValueError, StatementError) as exc:
        if args.json:
            print(json.dumps({"ok": False, "problems": [str(exc)], "signatures": []}))
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(args.file, report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
