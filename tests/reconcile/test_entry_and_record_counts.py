"""Counts a bank file states about itself, checked against what was read.

- MT942 ``:90D:``/``:90C:``: the number and the sum of the report's debit and credit entries
  (SWIFT MT942 field 90D/90C, "Number and Sum of Entries"). ``mt942_wolph_mbank.sta`` is
  WoLpH/mt940's ``mt940_tests/mBank/mt942.sta`` (BSD-3-Clause), bytes unchanged: three credits
  of 0.01 PLN, ``:90D:0PLN0,00`` and ``:90C:3PLN0,03``.
- BAI2 record counts: a 49 account trailer counts its account's records (03, 16, 88, the 49),
  a 98 group trailer its group's (02 to 98), a 99 file trailer every record (BAI2 2005,
  record layouts of 49, 98 and 99). An 88 continuation is a record; a text wrapped onto the
  next physical line is not. ``bai2_venturehacks_daily.bai2`` is AngelList's venturehacks/bai2
  ``test/data/daily.bai2`` (MIT); moov-io/bai2's ``sample4-continuations-newline-delimited.txt``
  (Apache-2.0, in the shared corpus) states counts that its records do not make.

A count that disagrees means records or entries were lost or added on the way: a warning
naming the statement or line, and the file is still read.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings
from reconcile.problems import Problem
from tests.reconcile.samples import DATA, read_sample

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _parse(data: bytes, name: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    return result


def _codes(result: ParseResult) -> list[tuple[str, dict[str, object]]]:
    return [
        (w.code, dict(w.params))
        for info in result.statements
        for w in info.raw.get("warnings", [])
        if isinstance(w, Problem) and w.code in ("entry_totals_mismatch", "record_count_mismatch")
    ]


# --------------------------------------------------------------------------------------------
# MT942 :90D: / :90C:


def test_mbank_mt942_entries_agree_with_its_90c() -> None:
    result = read_sample("mt942_wolph_mbank.sta", "mt940")
    assert [tx.amount for tx in result.transactions] == [Decimal("0.01")] * 3
    assert _codes(result) == []
    (info,) = result.statements
    assert (info.raw["d_floor_limit"], info.raw["c_floor_limit"]) == (Decimal(0), Decimal(0))


def test_an_entry_lost_from_an_mt942_is_warned_about_and_the_rest_read() -> None:
    data = (DATA / "mt942_wolph_mbank.sta").read_bytes()
    # the second entry (its :61:, its supplementary line and its four :86: lines) cut out
    lines = data.split(b"\n")
    second = lines.index(b":61:1701190119CN0,01NTRFNONREF//MB170119012085")
    cut = b"\n".join(lines[:second] + lines[second + 6 :])
    result = _parse(cut, "mt942.sta")
    assert len(result.transactions) == 2
    (info,) = result.statements
    (warning,) = [w for w in info.raw["warnings"] if w.code == "entry_totals_mismatch"]
    assert warning.params == {
        "tag": "90C",
        "stated_count": "3",
        "stated_total": "0.03",
        "count": "2",
        "total": "0.02",
        "currency": "PLN",
        "difference": "-0.01",
    }
    assert str(warning) == (
        "statement 1 (ST170119CYC/0001, account PL29114010810000267002001002): the :90C: field "
        "states 3 entries of 0.03 PLN, but the report holds 2 entries of 0.02 (difference "
        "-0.01): entries are missing or duplicated"
    )
    assert str(warning) in result.warnings


def test_a_debit_total_that_disagrees_is_warned_about() -> None:
    text = (
        ":20:ST261102/0001\n:25:PL29114010810000267002001002\n:28C:1/1\n:34F:PLN0\n"
        ":13D:2611021815+0100\n:61:2611021102DN5,00NTRFNONREF//MB1\n:86:911 OPLATA\n"
        ":61:2611021102RCN2,50NTRFNONREF//MB2\n:86:911 ZWROT\n"
        ":90D:2PLN7,00\n:90C:0PLN0,00\n-"
    )
    result = _parse(text.encode(), "mt942.sta")
    # RC (a credit taken back) is money out: it counts with the debits, 5.00 + 2.50
    assert _codes(result) == [
        (
            "entry_totals_mismatch",
            {
                "tag": "90D",
                "stated_count": "2",
                "stated_total": "7.00",
                "count": "2",
                "total": "7.50",
                "currency": "PLN",
                "difference": "+0.50",
            },
        )
    ]


# --------------------------------------------------------------------------------------------
# BAI2 record counts


def _bai2(records: list[str]) -> bytes:
    return ("\n".join(records) + "\n").encode()


# 88 continuations after a 02 group header, a 03 account and a 16 detail, each one a record
CONTINUED = [
    "01,BANKID,CUSTID,261103,0800,1,,,2/",
    "02,CUSTID,BANKID,1,261102/",
    "88,2359,USD,2/",
    "03,123456789,,010,500000,,/",
    "88,015,622450,,/",
    "16,195,123450,Z,BR1,CR1,INV-2026-00123",
    "88,ACME CORP",
    "16,475,1000,Z,BR2,,CHECK 1001/",
    "49,1246900,{account}/",
    "98,1246900,1,{group}/",
    "99,1246900,1,{file}/",
]


def test_88_continuations_count_as_records_in_every_trailer() -> None:
    records = [r.format(account=6, group=9, file=11) for r in CONTINUED]
    result = _parse(_bai2(records), "t.bai")
    assert result.warnings == []
    credit, _debit = result.transactions
    assert credit.reference == "CR1 INV-2026-00123 ACME CORP"
    assert (result.statements[0].closing_balance, result.statements[0].currency) == (
        Decimal("6224.50"),
        "USD",
    )
    # counted without the 88s, as a writer that forgets them would: each trailer is named
    records = [r.format(account=4, group=6, file=8) for r in CONTINUED]
    result = _parse(_bai2(records), "t.bai")
    assert len(result.transactions) == 2
    assert result.warnings == [
        "line 9: the 49 record states 4 records, but 6 were read (difference -2): records are "
        "missing or were added",
        "line 10: the 98 record states 6 records, but 9 were read (difference -3): records are "
        "missing or were added",
        "line 11: the 99 record states 8 records, but 11 were read (difference -3): records are "
        "missing or were added",
    ]


def test_a_detail_lost_from_a_real_file_is_counted_missing() -> None:
    data = (DATA / "bai2_venturehacks_daily.bai2").read_bytes()
    assert _codes(_parse(data, "daily.bai2")) == []
    lines = data.splitlines(keepends=True)
    detail = next(i for i, line in enumerate(lines) if line.startswith(b"16,"))
    result = _parse(b"".join(lines[:detail] + lines[detail + 1 :]), "daily.bai2")
    assert [(code, p["record"], p["difference"]) for code, p in _codes(result)] == [
        ("record_count_mismatch", "49", "+1"),
        ("record_count_mismatch", "98", "+1"),
        ("record_count_mismatch", "99", "+1"),
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"bank-file corpus not found at {CORPUS}")
def test_moov_goldman_sample_states_counts_its_records_do_not_make() -> None:
    path = CORPUS / "bai2" / "moov-bai2__sample4-continuations-newline-delimited.txt"
    result = _parse(path.read_bytes(), path.name)
    counts = [(p["record"], p["stated"], p["counted"]) for _, p in _codes(result)]
    assert counts == [
        ("49", "26", "18"),
        ("49", "8", "88"),
        ("98", "16", "114"),
        ("99", "18", "116"),
    ]
    assert len(result.transactions) > 0


def test_one_record_more_than_the_count_is_accepted_two_are_not() -> None:
    """Silicon Valley Bank's ``eod.bai2`` counts 12 of its account's 13 records (and 14, 16
    in its group and file); its ``eod_with_slash_in_text.bai2`` counts exactly."""
    assert _codes(read_sample("bai2_venturehacks_svb_eod_slash.bai2", "bai2")) == []
    data = (DATA / "bai2_venturehacks_svb_eod.bai2").read_bytes()
    assert _codes(_parse(data, "eod.bai2")) == []
    # one 88 more than that: two more than the trailers count, warned at each
    lines = data.splitlines(keepends=True)
    obi = next(i for i, line in enumerate(lines) if line.startswith(b"88,OBI:"))
    result = _parse(b"".join([*lines[: obi + 1], lines[obi], *lines[obi + 1 :]]), "eod.bai2")
    assert [(p["record"], p["difference"]) for _, p in _codes(result)] == [
        ("49", "-2"),
        ("98", "-2"),
        ("99", "-2"),
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"bank-file corpus not found at {CORPUS}")
def test_a_detail_text_closed_by_a_slash_goes_on_in_its_88() -> None:
    """moov-io/bai2's ``sample3.txt`` writes its texts in 30-character columns and closes a
    16 with ``/`` in the middle of one: ``...900 METRO CENTER BLVD /`` + ``88,        FOSTER
    CITY       CA 94404/``. The 88 goes on with the text (a 16 has no field after it)."""
    path = CORPUS / "bai2" / "moov-bai2__sample3.txt"
    result = _parse(path.read_bytes(), path.name)
    (wire,) = [tx for tx in result.transactions if "METRO" in tx.reference]
    assert " ".join(wire.reference.split()) == (
        "Wire Transfer Credit VISA INTERNATIONAL 900 METRO CENTER BLVD FOSTER CITY CA 94404"
    )
    assert not any("," in tx.reference for tx in result.transactions)
