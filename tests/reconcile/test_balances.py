"""A bank file whose balances do not add up is read, with a warning naming the figures.

Each format's small statement below adds up; with one entry taken out it warns with the
statement, the expected and the stated closing balance and the difference. Real files from
the shared corpus that add up read without such a warning, and warn once an entry is cut out.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings
from reconcile.problems import Problem

CORPUS = Path(
    os.environ.get("CONCORD_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "corpus"
)
BALANCE_CODES = frozenset(
    {"balance_mismatch", "balance_carry_over", "running_balance_mismatch", "control_total_mismatch"}
)


def _read(data: bytes, name: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    return result


def _balance_warnings(result: ParseResult) -> list[Problem]:
    return [w for w in result.warnings if getattr(w, "code", None) in BALANCE_CODES]


def _only(result: ParseResult) -> Problem:
    (warning,) = _balance_warnings(result)
    return warning


# -- camt.053 -----------------------------------------------------------------------------------
def _camt(entries: list[str], *, closing: str = "130.00") -> bytes:
    def balance(code: str, amount: str) -> str:
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            "<Dt><Dt>2026-11-03</Dt></Dt></Bal>"
        )

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
  <GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-11-03T08:00:00+01:00</CreDtTm></GrpHdr>
  <Stmt><Id>STMT-1103</Id><Acct><Id><IBAN>NL77ABNA0574908765</IBAN></Id><Ccy>EUR</Ccy></Acct>
    {balance("OPBD", "100.00")}{balance("CLAV", "999.00")}{balance("CLBD", closing)}
    {"".join(entries)}
  </Stmt></BkToCstmrStmt></Document>""".encode()


def _ntry(amount: str, ind: str, status: str = "BOOK", ref: str = "R") -> str:
    return (
        f'<Ntry><NtryRef>{ref}</NtryRef><Amt Ccy="EUR">{amount}</Amt>'
        f"<CdtDbtInd>{ind}</CdtDbtInd><Sts>{status}</Sts>"
        "<BookgDt><Dt>2026-11-03</Dt></BookgDt></Ntry>"
    )


CAMT_ENTRIES = [
    _ntry("50.00", "CRDT", ref="A"),
    _ntry("20.00", "DBIT", ref="B"),
    # pending: no part of the booked balance (and CLAV, an available balance, is never checked)
    _ntry("7.00", "CRDT", status="PDNG", ref="C"),
]


def test_a_camt_statement_that_adds_up_has_no_warning() -> None:
    assert _balance_warnings(_read(_camt(CAMT_ENTRIES), "s.xml")) == []


def test_a_camt_statement_missing_an_entry_warns_with_its_figures() -> None:
    result = _read(_camt([CAMT_ENTRIES[0], CAMT_ENTRIES[2]]), "s.xml")
    warning = _only(result)
    assert warning.code == "balance_mismatch"
    assert warning.params == {
        "opening_code": "OPBD",
        "opening": "100.00",
        "movement": "+50.00",
        "expected": "150.00",
        "closing_code": "CLBD",
        "closing": "130.00",
        "currency": "EUR",
        "difference": "-20.00",
    }
    assert str(warning).startswith(
        "statement 1 (STMT-1103, account NL77ABNA0574908765): the balances do not add up"
    )
    assert len(result.transactions) == 2  # still read, nothing dropped


def test_a_pending_camt_entry_booked_into_the_closing_balance_warns() -> None:
    booked_pending = _camt([*CAMT_ENTRIES[:2], _ntry("7.00", "CRDT", ref="C")])
    assert _only(_read(booked_pending, "s.xml")).params["difference"] == "-7.00"


# -- MT940 --------------------------------------------------------------------------------------
MT940_LINES = [
    ":61:2611031103C50,00NTRFNONREF//B1\n:86:PAYMENT ONE\n",
    ":61:2611031103D20,00NTRFNONREF//B2\n:86:PAYMENT TWO\n",
    # a reversal of a credit takes money out
    ":61:2611031103RC5,00NTRFNONREF//B3\n:86:REVERSAL\n",
]


def _mt940(lines: list[str], *, closing: str = ":62F:C261103EUR125,00", number: str = "1") -> str:
    return (
        f":20:STMT{number}\n:25:NL77ABNA0574908765\n:28C:00042/{number}\n"
        f":60F:C261102EUR100,00\n{''.join(lines)}{closing}\n-\n"
    )


def test_an_mt940_statement_that_adds_up_has_no_warning() -> None:
    assert _balance_warnings(_read(_mt940(MT940_LINES).encode(), "s.sta")) == []


def test_an_mt940_statement_missing_an_entry_warns_with_its_figures() -> None:
    result = _read(_mt940([MT940_LINES[0], MT940_LINES[2]]).encode(), "s.sta")
    warning = _only(result)
    assert (warning.code, warning.params["expected"], warning.params["closing"]) == (
        "balance_mismatch",
        "145.00",
        "125.00",
    )
    assert (warning.params["movement"], warning.params["difference"]) == ("+45.00", "-20.00")
    assert (warning.params["opening_code"], warning.params["closing_code"]) == ("60F", "62F")
    assert str(warning).startswith("statement 1 (STMT1, account NL77ABNA0574908765): ")


def test_a_multi_part_mt940_statement_chains_62m_into_60m() -> None:
    first = _mt940(MT940_LINES, closing=":62M:C261103EUR125,00")
    second = (
        ":20:STMT2\n:25:NL77ABNA0574908765\n:28C:00042/2\n:60M:C261103EUR{opening}\n"
        ":61:2611031103C10,00NTRFNONREF//B4\n:86:PAYMENT FOUR\n:62F:C261103EUR{closing}\n-\n"
    )
    whole = first + second.format(opening="125,00", closing="135,00")
    assert _balance_warnings(_read(whole.encode(), "s.sta")) == []
    # a part lost between the two: the second part opens at another balance
    gap = first + second.format(opening="140,00", closing="150,00")
    warning = _only(_read(gap.encode(), "s.sta"))
    assert warning.code == "balance_carry_over"
    assert (warning.params["closing"], warning.params["opening"]) == ("125.00", "140.00")
    assert warning.params["difference"] == "+15.00"
    assert str(warning).startswith("statement 2 (STMT2, ")


# -- BAI2 ---------------------------------------------------------------------------------------
BAI2_DETAILS = [
    "16,195,500000,0,WIRE1,,WIRE IN ACME\n",
    "16,475,20000,0,CHK1,1207,CHECK PAID\n",
]


def _bai2(details: list[str], *, group_total: str = "3520000") -> bytes:
    return (
        "01,121000248,CONCORD,261104,0630,1,,,2/\n"
        "02,CONCORD,121000248,1,261103,2400,USD,2/\n"
        "03,4159823067,USD,010,1000000,,,015,1480000,,/\n"
        f"{''.join(details)}"
        "49,3000000,4/\n"
        f"98,{group_total},1,6/\n"
        f"99,{group_total},1,8/\n"
    ).encode()


def test_a_bai2_account_that_adds_up_has_no_warning() -> None:
    assert _balance_warnings(_read(_bai2(BAI2_DETAILS, group_total="3000000"), "s.bai")) == []


def test_a_bai2_file_missing_a_detail_warns_about_its_ledger_and_its_control_total() -> None:
    total, ledger = _balance_warnings(_read(_bai2(BAI2_DETAILS[:1], group_total="3000000"), "b"))
    assert total.code == "control_total_mismatch"
    assert total.params == {
        "record": "49",
        "stated": "3000000",
        "computed": "2980000",
        "difference": "+20000",
    }
    assert total.location is not None and str(total).startswith("line 5: ")
    assert ledger.code == "balance_mismatch"
    assert (ledger.params["expected"], ledger.params["closing"]) == ("15000.00", "14800.00")
    assert ledger.params["difference"] == "-200.00"
    assert str(ledger).startswith("line 3, account 4159823067: ")


def test_a_bai2_group_total_that_is_not_its_accounts_sum_warns() -> None:
    warning = _only(_read(_bai2(BAI2_DETAILS), "s.bai"))
    assert (warning.code, warning.params["record"]) == ("control_total_mismatch", "98")
    assert (warning.params["stated"], warning.params["computed"]) == ("3520000", "3000000")


# -- a CSV export's running balance -------------------------------------------------------------
CSV_ROWS = [
    "2026-11-01,Opening deposit,100.00,100.00\n",
    "2026-11-02,ACME payment,50.00,150.00\n",
    "2026-11-03,Bank fee,-20.00,130.00\n",
    "2026-11-04,Globex payment,30.00,160.00\n",
]


def _csv(rows: list[str]) -> bytes:
    return ("Date,Description,Amount,Balance\n" + "".join(rows)).encode()


def test_an_export_whose_running_balance_chains_has_no_warning() -> None:
    assert _balance_warnings(_read(_csv(CSV_ROWS), "s.csv")) == []


def test_an_export_missing_a_row_names_the_first_row_that_does_not_chain() -> None:
    result = _read(_csv([CSV_ROWS[0], CSV_ROWS[1], CSV_ROWS[3]]), "s.csv")
    warning = _only(result)
    assert warning.code == "running_balance_mismatch"
    assert str(warning).startswith("row 4: ")  # the header is row 1
    assert (warning.params["before"], warning.params["movement"]) == ("150.00", "+30.00")
    assert (warning.params["expected"], warning.params["balance"]) == ("180.00", "160.00")
    assert warning.params["difference"] == "-20.00"
    assert len(result.transactions) == 3


def test_an_export_listing_a_days_rows_in_another_order_than_booked_has_no_warning() -> None:
    # newest day first, each day's rows oldest first: 150, then 180 and 170, then 190 and 185
    rows = [
        "2026-11-03,D,20.00,190.00\n",
        "2026-11-03,E,-5.00,185.00\n",
        "2026-11-02,B,30.00,180.00\n",
        "2026-11-02,C,-10.00,170.00\n",
        "2026-11-01,A,50.00,150.00\n",
    ]
    assert _balance_warnings(_read(_csv(rows), "s.csv")) == []
    # but a day that lost a row does not add up in any order
    warning = _only(_read(_csv([*rows[:2], *rows[3:]]), "s.csv"))
    assert (str(warning)[:6], warning.params["difference"]) == ("row 4:", "+30.00")


# -- real files ---------------------------------------------------------------------------------
#: corpus files whose every statement states both ends (or a running balance) and adds up
BALANCED = [
    "camt052/ofxstatement-iso20022__camt052.xml",
    "camt053/ofxstatement-iso20022__camt053.xml",
    "camt053/ofxstatement-iso20022__davider80.xml",
    "camt053/ofxstatement-iso20022__simple.xml",
    "camt053/oca-bsi__test-camt053-txdtls.xml",
    "camt053/genkgo-camt__camt053.v2.multi.statement.xml",
    "camt053/oca-bsi__test-camt053-no-ntry.xml",
    "mt940/oca-bsi-10-nl-ing__test-ing.940",
    "mt940/oca-bsi-10-nl-ing__test-ing-old.940",
    "mt940/oca-bsi-10-nl-rabo__test-rabo.swi",
    "mt940/wolph-mt940-cmxl__mt940.sta",
    "mt940/wolph-mt940-sberbank__171011_01234945.sta",
    "mt940/wolph-mt940-self-provided__february_30.sta",
    "bai2/moov-bai2__sample3.txt",
    "csv/oca-bsi-sheet__balance.csv",
    "csv/ofxstatement-revolut__2021-october.csv",
]


def _corpus(name: str) -> bytes:
    if not (CORPUS / "MANIFEST.json").is_file():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    listed = {entry["file"] for entry in json.loads((CORPUS / "MANIFEST.json").read_text())}
    assert name in listed
    return (CORPUS / name).read_bytes()


@pytest.mark.parametrize("name", BALANCED)
def test_real_files_that_add_up_read_without_a_balance_warning(name: str) -> None:
    result = _read(_corpus(name), name)
    assert _balance_warnings(result) == []
    assert any(
        s.opening_balance is not None and s.closing_balance is not None for s in result.statements
    )


def test_a_real_camt_statement_cut_by_one_entry_warns() -> None:
    name = "camt053/ofxstatement-iso20022__simple.xml"
    text = _corpus(name).decode()
    entries = re.findall(r"<Ntry>.*?</Ntry>", text, re.S)
    cut = text.replace(entries[1], "", 1)
    warning = _only(_read(cut.encode(), name))
    amount = re.search(r"<Amt[^>]*>([\d.]+)</Amt>", entries[1])
    sign = "-" if "<CdtDbtInd>DBIT" in entries[1] else "+"
    assert amount is not None and warning.params["difference"] == f"{sign}{amount.group(1)}"


def test_a_real_mt940_statement_cut_by_one_entry_warns() -> None:
    name = "mt940/oca-bsi-10-nl-ing__test-ing.940"
    text = _corpus(name).decode("latin-1")
    # the :61: line, its continuation lines and its :86: text
    line = r":61:\d{10}([CD])(\d+,\d\d).*\n(?:[^:\n].*\n)*"
    entry = re.search(line + r"(?::86:.*\n(?:[^:\n].*\n)*)?", text)
    assert entry is not None
    warning = _only(_read(text.replace(entry.group(0), "", 1).encode("latin-1"), name))
    sign = "-" if entry.group(1) == "D" else "+"
    assert warning.params["difference"] == sign + entry.group(2).replace(",", ".")
