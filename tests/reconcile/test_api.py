"""parse_bytes / parse_paths: detection, ZIPs, limits, the PDF sandbox, and batch isolation."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes, parse_paths
from reconcile.errors import LimitExceeded, ParseError
from reconcile.model import ParseSettings
from reconcile.sandbox import run_limited

from .test_bai2 import wrap as bai2_file
from .test_camt import document, entry, tx_details


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def camt_file(ref: str) -> bytes:
    return document(entry(details=tx_details(ref=ref)))


def test_zip_gives_one_result_per_inner_file() -> None:
    data = zip_of(
        {
            "a.xml": camt_file("A1"),
            "b.xml": camt_file("B1"),
            "__MACOSX/._a.xml": b"junk",
            "notes.txt": b"hello",
        }
    )
    results = parse_bytes(data, "stmts.zip")
    assert [r.file for r in results] == [
        "stmts.zip/a.xml",
        "stmts.zip/b.xml",
        "stmts.zip/notes.txt",
    ]
    assert [t.bank_ref for r in results[:2] for t in r.transactions] == ["A1", "B1"]
    assert results[0].format == "camt" and results[0].error is None
    assert results[0].transactions[0].source.startswith("stmts.zip/a.xml#")
    assert results[2].error is not None  # a stray text file fails alone


def test_xlsx_is_not_unpacked_as_an_archive() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    (result,) = parse_bytes(data, "export.xlsx")
    assert result.file == "export.xlsx"  # handed whole to the tabular parser, not split


def test_byte_limit() -> None:
    (result,) = parse_bytes(camt_file("A"), "big.xml", ParseSettings(max_bytes=100))
    assert result.error is not None and "more than the limit of 100" in result.error


def test_entry_limit() -> None:
    data = document(entry() * 3)
    (result,) = parse_bytes(data, "many.xml", ParseSettings(max_entries=2))
    assert result.error is not None and "more than 2 transactions" in result.error


def test_one_bad_file_among_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(camt_file("G1"))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(camt_file("B1")[:200])
    bai = tmp_path / "ok.bai"
    bai.write_bytes(bai2_file("03,1,,010,0,,/\n16,195,100,Z,R,,X/\n49,100,3/\n"))
    missing = tmp_path / "missing.ofx"
    results = parse_paths([good, bad, missing, bai])
    assert [Path(r.file).name for r in results] == ["good.xml", "bad.xml", "missing.ofx", "ok.bai"]
    assert results[0].transactions[0].amount == Decimal("1234.50")
    assert results[1].error is not None and "not well-formed XML" in results[1].error
    assert results[2].error is not None and "cannot read" in results[2].error
    assert results[3].error is None and len(results[3].transactions) == 1


def test_unsupported_content() -> None:
    (result,) = parse_bytes(b"\x00\x01\x02 not a bank file", "x.bin")
    assert result.error is not None and "not a bank file Concord reads" in result.error


def test_child_process_wall_clock_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="took longer than 1 s"):
        run_limited(time.sleep, 30, timeout=1, memory_limit=512 * 1024 * 1024)
    assert time.monotonic() - started < 10


def test_child_process_cpu_bound_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="took longer than 1 s"):
        run_limited(sum, range(10**13), timeout=1, memory_limit=512 * 1024 * 1024)
    assert time.monotonic() - started < 10


def test_child_process_memory_limit() -> None:
    with pytest.raises(LimitExceeded, match="exceeded memory limit"):
        run_limited(bytearray, 4 * 1024**3, timeout=20, memory_limit=512 * 1024 * 1024)


def test_child_process_returns_results_and_errors() -> None:
    assert run_limited(sorted, [3, 1, 2], timeout=20, memory_limit=512 * 1024**2) == [1, 2, 3]
    with pytest.raises(ParseError, match="parser failed: ValueError"):
        run_limited(int, "not a number", timeout=20, memory_limit=512 * 1024**2)


def test_pdf_is_parsed_in_the_child_under_the_time_limit() -> None:
    # a minimal PDF: detected as PDF, so it goes to the sandbox; 1 ms is too short for the
    # child to even start (the parsers are already imported in the parent, so 50 ms no longer
    # is), which is exactly the overrun case the limit exists for
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    (result,) = parse_bytes(pdf, "slow.pdf", ParseSettings(timeout_seconds=0.001))
    assert result.format == "pdf"
    assert result.error == "slow.pdf: took longer than 0.001 s"
