"""Hostile and broken input: each gives a clear error for that file, fast, never a crash."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.api import MAX_ZIP_MEMBERS, parse_bytes
from reconcile.model import ParseSettings

from .test_bai2 import wrap as bai2_file
from .test_camt import document, entry
from .test_ofx import sgml, sgml_statement, trn

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>&lol9;</MsgId></GrpHdr>
</BkToCstmrStmt></Document>""".encode()

EXTERNAL_ENTITY = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr>
<Stmt><Id>S</Id><Acct><Id><IBAN>NL1</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>""".encode()


def one(data: bytes, name: str, **kwargs: object) -> str:
    started = time.monotonic()
    (result,) = parse_bytes(data, name, ParseSettings(**kwargs))  # type: ignore[arg-type]
    assert time.monotonic() - started < 10
    assert result.transactions == []
    assert result.error is not None
    return result.error


def test_billion_laughs_is_refused() -> None:
    assert "DOCTYPE is refused" in one(BILLION_LAUGHS, "lol.xml")


def test_external_entity_is_refused_and_not_read() -> None:
    error = one(EXTERNAL_ENTITY, "xxe.xml")
    assert "DOCTYPE is refused" in error
    assert "root:" not in error


def test_doctype_in_utf16_is_refused() -> None:
    assert "DOCTYPE is refused" in one(EXTERNAL_ENTITY.decode().encode("utf-16"), "xxe16.xml")


def test_doctype_in_ofx_is_refused() -> None:
    data = sgml(sgml_statement(trn())).replace(b"<OFX>", b'<!DOCTYPE x [<!ENTITY a "b">]><OFX>')
    assert "DOCTYPE" in one(data, "x.ofx")


def test_deeply_nested_xml() -> None:
    depth = 100_000
    data = f'<Document xmlns="{NS}"><BkToCstmrStmt>'.encode() + b"<a>" * depth + b"</a>" * depth
    assert "not well-formed XML" in one(data + b"</BkToCstmrStmt></Document>", "deep.xml")


def test_deeply_nested_ofx() -> None:
    data = b"OFXHEADER:100\n\n<OFX>" + b"<A>" * 10_000 + b"</A>" * 10_000 + b"</OFX>"
    assert "nested deeper" in one(data, "deep.ofx")


def test_zip_bomb_by_ratio() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"\0" * (20 * 1024 * 1024))
    assert "decompression bomb" in one(buffer.getvalue(), "bomb.zip")


def test_zip_bigger_than_the_byte_limit_once_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"x" * 2000)
    assert "unpacks to 2000 bytes" in one(buffer.getvalue(), "a.zip", max_bytes=1500)


def test_zip_with_too_many_members() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"{i}.xml", b"<x/>")
    assert f"more than {MAX_ZIP_MEMBERS}" in one(buffer.getvalue(), "many.zip")


def test_nested_zip_is_not_opened() -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.xml", document(entry()))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
    (result,) = parse_bytes(outer.getvalue(), "outer.zip")
    assert result.error is not None and "inside a ZIP archive" in result.error


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (document(entry()), "cut.xml", "not well-formed XML"),
        (sgml(sgml_statement(trn())), "cut.ofx", "truncated OFX file"),
        (bai2_file("03,1,,010,0,,/\n16,195,100,Z,R,,X/\n49,100,3/\n"), "cut.bai", "no 99"),
    ],
)
def test_truncated_files(data: bytes, name: str, message: str) -> None:
    assert message in one(data[: int(len(data) * 0.6)], name)


def test_truncated_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", document(entry()))
    data = buffer.getvalue()
    assert "an incomplete ZIP archive" in one(data[: len(data) // 2], "cut.zip")
    # a whole archive broken elsewhere than at its end keeps the library's reason
    damaged = data.replace(b"PK\x01\x02", b"XX\x01\x02")
    assert "broken ZIP archive" in one(damaged, "damaged.zip")


def test_a_member_damaged_inside_a_zip_is_told_and_the_others_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", document(entry()))
        archive.writestr("b.xml", document(entry()))
    data = bytearray(buffer.getvalue())
    # damage a.xml's packed bytes (its local header is 30 bytes and its name 5)
    for k in range(40, 60):
        data[k] ^= 0x5A
    a, b = parse_bytes(bytes(data), "two.zip", ParseSettings())
    assert a.file == "two.zip/a.xml" and a.error is not None
    assert "damaged inside the ZIP archive, cannot be unpacked" in a.error
    assert "could not be parsed" not in a.error
    assert b.error is None and len(b.transactions) == 1


def test_truncated_workbook() -> None:
    """An XLSX cut short is a ZIP whose directory is missing: told as an incomplete workbook."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    for i in range(300):
        workbook.active.append(["2026-11-03", f"Payment INV-{i}", 100 + i, "EUR"])
    workbook.save(buffer)
    data = buffer.getvalue()
    for keep in (0.2, 0.5, 0.9):
        text = one(data[: int(len(data) * keep)], "export.xlsx")
        assert "an incomplete XLSX workbook" in text and "download it again" in text


PREFIXES = [b"", b"<?xml version='1.0'?><Document xmlns='" + NS.encode() + b"'>",
            b"OFXHEADER:100\n<OFX>", b"01,A,B,261103,0800,1,,,2/\n", b"PK\x03\x04"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), noise=st.binary(max_size=2000))
def test_random_bytes_never_crash(prefix: bytes, noise: bytes) -> None:
    results = parse_bytes(prefix + noise, "random.bin")
    assert results
    for result in results:
        assert result.error is not None or result.transactions is not None
        if result.error is not None:
            assert result.error.strip()
