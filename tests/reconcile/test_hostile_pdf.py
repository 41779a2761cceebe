"""Hostile PDFs: a decompression bomb, circular and deeply nested objects.

Each must end, within the limits, as a clear error for that file (never a hang or a crash of
the batch). They are hand-built so that the hostile part is exactly what is under test.
"""

from __future__ import annotations

import time
import zlib

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings

LIMITS = ParseSettings(timeout_seconds=20, memory_limit_bytes=384 * 1024 * 1024)


def build_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """Assemble numbered objects into a PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def stream(data: bytes, **extra: bytes) -> bytes:
    keys = b"".join(b" /%s %s" % (k.encode(), v) for k, v in extra.items())
    return b"<< /Length %d%s >>\nstream\n" % (len(data), keys) + data + b"\nendstream"


def page_tree(content: bytes, *, kids: bytes = b"[3 0 R]") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s /Count 1 >>" % kids,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        content,
    ]


def parse_one(data: bytes, name: str) -> str:
    started = time.monotonic()
    (result,) = parse_bytes(data, name, LIMITS)
    elapsed = time.monotonic() - started
    assert elapsed < LIMITS.timeout_seconds + 10, f"{name} took {elapsed:.1f} s"
    assert result.transactions == []
    assert result.error is not None
    assert result.error.startswith(name)
    return result.error


def spaces_bomb(mebibytes: int) -> bytes:
    """A valid zlib stream of ``mebibytes`` MiB of spaces, without compressing them all.

    After a full flush the compressor forgets what it saw, so every further mebibyte of spaces
    compresses to the same bytes: the stream is the first block, that block repeated, the
    last block and the Adler-32 of the whole (compressing 1 GiB took seconds of CPU).
    """
    chunk = b" " * (1024 * 1024)
    packer = zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(chunk) + packer.flush()
    checksum = 1
    for _ in range(mebibytes):
        checksum = zlib.adler32(chunk, checksum)
    return first + again * (mebibytes - 2) + last[:-4] + checksum.to_bytes(4, "big")


def test_decompression_bomb_in_a_content_stream() -> None:
    # the same construction, small enough to unpack here, is a valid stream of spaces
    assert zlib.decompress(spaces_bomb(8)) == b" " * (8 * 1024 * 1024)
    # 1 GiB of spaces squeezed into about a megabyte: more than the child may hold
    packed = spaces_bomb(1024)
    assert len(packed) < 2 * 1024 * 1024
    pdf = build_pdf(page_tree(stream(packed, Filter=b"/FlateDecode")))
    error = parse_one(pdf, "bomb.pdf")
    assert any(
        reason in error
        for reason in ("memory limit", "took longer", "unreadable page", "no bank receipt")
    ), error


def test_circular_page_tree() -> None:
    # the page tree's only kid is the tree itself
    objects = page_tree(stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"), kids=b"[2 0 R]")
    error = parse_one(build_pdf(objects), "circular.pdf")
    assert error


def test_circular_object_references() -> None:
    # objects 5 and 6 point at each other through the page's resources
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"),
        b"<< /Font 6 0 R /Loop 6 0 R >>",
        b"<< /F1 5 0 R /Back 5 0 R >>",
    ]
    error = parse_one(build_pdf(objects), "loop.pdf")
    assert error


def test_deeply_nested_arrays() -> None:
    depth = 200_000
    nested = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Deep %s >>" % nested,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"),
    ]
    error = parse_one(build_pdf(objects), "deep.pdf")
    assert error


def test_a_hostile_pdf_does_not_stop_the_good_files_beside_it() -> None:
    bomb = build_pdf(page_tree(stream(b"", Filter=b"/FlateDecode")), root=1)
    circular = build_pdf(page_tree(stream(b"q Q"), kids=b"[2 0 R]"))
    camt = (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        b"<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S1</Id>"
        b'<Acct><Id><IBAN>CN1</IBAN></Id><Ccy>CNY</Ccy></Acct><Ntry><Amt Ccy="CNY">10.00</Amt>'
        b"<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>"
        b"<AcctSvcrRef>R1</AcctSvcrRef></Ntry></Stmt></BkToCstmrStmt></Document>"
    )
    results = [
        parse_bytes(data, name, LIMITS)[0]
        for data, name in ((bomb, "a.pdf"), (camt, "b.xml"), (circular, "c.pdf"))
    ]
    assert results[0].error and results[2].error
    assert results[1].error is None
    assert [t.bank_ref for t in results[1].transactions] == ["R1"]
