"""Every fact the shared corpus records about its MT940/MT942 and CSV files, against our parsers.

The corpus (``../shared/corpus``, see its README for sources and licenses) holds real files from
other projects' test suites, with ``MANIFEST.json`` recording what those projects assert. Some
assertions describe the source project's own object model or configuration rather than the
file; for those the test checks the underlying fact and says why next to the check.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reconcile.errors import ParseError
from reconcile.model import ParseSettings, StatementInfo, Transaction
from reconcile.parsers import detect, tabular
from reconcile.parsers import mt940 as mt940_parser

CORPUS = Path(__file__).parents[3] / "shared" / "corpus"
_MANIFEST = CORPUS / "MANIFEST.json"


def _entries(fmt: str) -> list[dict[str, Any]]:
    if not _MANIFEST.is_file():
        return []
    entries = json.loads(_MANIFEST.read_text(encoding="utf-8"))
    return [e for e in entries if e["format"] == fmt and e["kind"] == "statement"]


def _params(fmt: str) -> list[Any]:
    entries = _entries(fmt)
    if not entries:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {CORPUS}"))]
    return [pytest.param(e, id=Path(e["file"]).name) for e in entries]


def _assert_detected(data: bytes, name: str, module: Any) -> None:
    """The content picks ``module``; while a sibling parser is not written yet, its own sniff."""
    assert module.sniff(data, name)
    try:
        found = detect(data, name)
    except ModuleNotFoundError:  # another helper's parser module is still missing
        return
    assert found is module


def _signed(tx: Transaction) -> Decimal:
    return tx.amount if tx.direction == "credit" else -tx.amount


# --------------------------------------------------------------------------------------------
# MT940 / MT942

# statement-level YAML keys of WoLpH/mt940 and the MT940 balance tag each comes from
_BALANCE_TAGS = {
    "final_opening_balance": "60F",
    "intermediate_opening_balance": "60M",
    "final_closing_balance": "62F",
    "intermediate_closing_balance": "62M",
    "available_balance": "64",
    "forward_available_balance": "65",
}


def _merged(statements: list[StatementInfo], fact: str) -> Any:
    """Return ``fact`` the way WoLpH/mt940's single merged ``Transactions`` object reports it.

    That library merges every statement of a file into one object where a later statement's
    tag overwrites an earlier one's. We keep the statements apart (merging balances of
    different statements would be wrong), so the recorded value is the one of the *last*
    statement that carries the tag: checking that checks the underlying per-statement fact.
    """
    for st in reversed(statements):
        if fact in _BALANCE_TAGS:
            found = [b for b in st.balances if b.type == _BALANCE_TAGS[fact]]
            if found:
                return found[-1]
        elif fact == "transaction_reference" and st.statement_id:
            return st.statement_id
        elif st.raw.get(fact):
            return st.raw[fact]
    return None


def _check_transaction(tx: Transaction, expected: dict[str, Any], name: str) -> None:
    for key, want in expected.items():
        if key == "amount":
            assert _signed(tx) == Decimal(want), key
        elif key == "currency":
            # no :60F: (Sparkasse fragment): the library says None, we say "" plus a warning
            assert tx.currency == (want or "")
            if want is None:
                assert any("currency" in w for w in tx.warnings)
        elif key == "date":
            assert tx.value_date == dt.date.fromisoformat(want)
        elif key in ("entry_date", "guessed_entry_date"):
            assert tx.booking_date == dt.date.fromisoformat(want)
        elif key == "status":
            assert tx.raw["mark"] == want
            assert tx.direction == ("credit" if want in ("C", "RD") else "debit")
        elif key == "id":
            assert tx.raw["type_code"] == want
        elif key in ("customer_reference", "extra_details") and tx.raw[key] != want:
            # Releases of mt940 before 5.x, which wrote these YAML files, read the :61: customer
            # reference as any 16 characters, "//" included, and the rest of the line as extra
            # details (the manifest flags this for knab.sta): "NONREF//B4E07XM0" + "0J000023".
            # The SWIFT reading, which mt-940 5.x and we follow, splits at "//" into customer
            # and bank reference. Same characters, so check the old cut of our reading.
            spec = tx.raw["customer_reference"]
            if tx.raw["bank_reference"]:
                spec += "//" + tx.raw["bank_reference"]
            assert (spec[:16] if key == "customer_reference" else spec[16:]) == want, key
        elif key in ("customer_reference", "extra_details", "posting_text"):
            assert tx.raw[key] == want, key
        elif key == "bank_reference":
            assert tx.raw["bank_reference"] == want
            assert tx.bank_ref == want
        elif key == "transaction_details":
            assert tx.raw["details"] == want
            if ">20" in want:  # Triodos: remittance text in >20..>29, the rest is structure
                remittance = "".join(re.findall(r">2\d([^>]*)", want.replace("\n", "")))
                assert tx.reference == " ".join(remittance.split())
            else:
                # DK business code 999 ("unstructured purpose") is a code, not text
                assert tx.reference == " ".join(re.sub(r"^999(?![\d?])", "", want).split())
        elif key == "applicant_name":
            assert tx.counterparty_name == " ".join(want.split())
        elif key == "applicant_iban":
            assert tx.counterparty_account == want
        elif key == "purpose":
            # the library joins the ?20-?29 subfields as written ("ABBUCHUNGVOM PAYPAL-KONTO");
            # we put a space where a subfield ended a word (mt940_sepa._unmark): same text
            ours = tx.reference.split(" | EREF ")[0]
            assert ours.replace(" ", "") == want.replace(" ", "")
            assert len(ours.split()) >= len(want.split())
        elif key == "end_to_end_reference":
            assert tx.raw["end_to_end_ref"] == want
            assert want in tx.reference
        else:
            raise AssertionError(f"unchecked fact {key!r} of {name}")


@pytest.mark.parametrize("entry", _params("mt940"))
def test_mt940_corpus(entry: dict[str, Any]) -> None:
    path = CORPUS / entry["file"]
    data = path.read_bytes()
    _assert_detected(data, path.name, mt940_parser)
    txs, statements = mt940_parser.parse_with_statements(data, path.name, ParseSettings())
    assert mt940_parser.parse(data, path.name, ParseSettings()) == txs
    assert len({tx.bank_ref for tx in txs}) == len(txs), "bank references must be unique"
    expected = entry["expected"]
    if entry["source_repo"] == "WoLpH/mt940":
        _check_wolph(path.name, expected, txs, statements)
    else:
        _check_oca(expected, txs, statements)


def _check_wolph(
    name: str, expected: dict[str, Any], txs: list[Transaction], statements: list[StatementInfo]
) -> None:
    for fact, want in expected.items():
        if fact in _BALANCE_TAGS:
            balance = _merged(statements, fact)
            assert balance is not None, fact
            assert balance.amount == Decimal(want["amount"]), fact
            assert ("D" if balance.amount < 0 else "C") == want["status"], fact
            assert balance.currency == want["currency"], fact
            assert balance.date == dt.date.fromisoformat(want["date"]), fact
        elif fact in ("account_identification", "statement_number", "sequence_number"):
            assert _merged(statements, fact) == want, fact
        elif fact == "transaction_reference":
            assert _merged(statements, fact) == want
        elif fact == "transaction_count":
            assert len(txs) == want
            assert sum(st.transaction_count for st in statements) == want
        elif fact == "sum_of_amounts":
            assert sum((_signed(tx) for tx in txs), Decimal(0)) == Decimal(want)
        elif fact == "transaction_currencies":
            assert sorted({tx.currency for tx in txs if tx.currency}) == want
        elif fact == "first_transaction":
            _check_transaction(txs[0], want, name)
        elif fact == "last_transaction":
            _check_transaction(txs[-1], want, name)
        else:
            raise AssertionError(f"unchecked fact {fact!r} of {name}")


def _check_oca(
    expected: dict[str, Any], txs: list[Transaction], statements: list[StatementInfo]
) -> None:
    for fact, want in expected.items():
        if fact == "statement_name_in_odoo":
            # Odoo names the statement "<account>-<date of the closing balance>"; the OCA Rabobank
            # parser folds the file's four :20: blocks into one statement, so its date is that of
            # the last block's closing balance.
            last = statements[-1]
            assert f"{last.account}-{last.closing_date}" == want
        elif fact == "local_account":
            assert {st.account for st in statements} == {want}
            assert {tx.our_account for tx in txs} == {want}
        elif fact == "start_balance":
            # OCA folds several :20: blocks into one statement (Rabobank); we keep them apart,
            # so the folded opening balance is the first block's and the blocks must chain
            assert statements[0].opening_balance == Decimal(str(want))
            for before, after in itertools.pairwise(statements):
                assert after.opening_balance == before.closing_balance
        elif fact == "end_balance":
            assert statements[-1].closing_balance == Decimal(str(want))
            for st in statements:
                moved = sum(
                    (_signed(tx) for tx in txs if tx.raw["statement"] == st.statement_id),
                    Decimal(0),
                )
                assert st.opening_balance is not None and st.closing_balance is not None
                assert st.opening_balance + moved == st.closing_balance
        elif fact == "transactions_include":
            for line in want:
                found = [
                    tx
                    for tx in txs
                    if tx.counterparty_account == line["remote_account"]
                    and _signed(tx) == Decimal(str(line["transferred_amount"]))
                    and tx.value_date == dt.date.fromisoformat(line["value_date"])
                ]
                assert len(found) == 1, line
                tx = found[0]
                # Odoo's "ref" is the end-to-end reference for ING and the :61: customer
                # reference for Rabobank (NONREF there, which is no bank reference of ours)
                assert line["ref"] in (
                    tx.raw.get("end_to_end_ref"),
                    (tx.raw.get("customer_reference") or "").strip(),
                )
        else:
            raise AssertionError(f"unchecked fact {fact!r}")


# --------------------------------------------------------------------------------------------
# CSV

# OCA's test mapping for original_currency_no_header.csv (columns by index, description from
# columns 1 and 7), written as the layout mapping file finance would keep for such a bank
NO_HEADER_LAYOUT = {
    "name": "OCA sheet fixture without header",
    "has_header": False,
    "columns": {
        "booking_date": 0,
        "description": [1, 7],
        "original_currency": 2,
        "amount": 3,
        "original_amount": 4,
        "counterparty_name": 5,
        "counterparty_account": 6,
    },
    "date_format": "%m/%d/%Y",
}

# ofxstatement-revolut maps Revolut's Type column to OFX TRNTYPE codes (plugin configuration,
# not file content); we keep the Type column as written, so the test maps it the same way
_REVOLUT_TRNTYPE = {"TRANSFER": "XFER", "CARD_PAYMENT": "POS"}


def _csv_settings(entry: dict[str, Any]) -> ParseSettings:
    if entry["file"].endswith("original_currency_no_header.csv"):
        from reconcile.layouts import layout_from_dict

        return ParseSettings(layouts=(layout_from_dict(NO_HEADER_LAYOUT),))
    return ParseSettings()


@pytest.mark.parametrize("entry", _params("csv"))
def test_csv_corpus(entry: dict[str, Any]) -> None:
    path = CORPUS / entry["file"]
    data = path.read_bytes()
    _assert_detected(data, path.name, tabular)
    settings = _csv_settings(entry)
    txs, statements = tabular.parse_with_statements(data, path.name, settings)
    assert len(statements) == 1
    info = statements[0]
    assert len({tx.bank_ref for tx in txs}) == len(txs)
    # parsing the same export again gives the same references: re-uploads are duplicates
    assert [tx.bank_ref for tx in tabular.parse(data, path.name, settings)] == [
        tx.bank_ref for tx in txs
    ]
    expected = entry["expected"]
    _check_csv_file_facts(expected["read_from_file"], data, txs, info)
    _check_csv_asserts(path.name, expected["test_asserts"], txs, info)


def _check_csv_file_facts(
    facts: dict[str, Any], data: bytes, txs: list[Transaction], info: StatementInfo
) -> None:
    for fact, want in facts.items():
        if fact == "encoding":
            assert info.raw["encoding"] == want.split()[0]
        elif fact == "delimiter":
            assert info.raw["delimiter"] == want
        elif fact == "physical_rows":
            # every physical row is the header, a preamble row, a transaction or a row we
            # skipped on purpose (totals, pending): nothing is silently lost
            header_rows = info.raw["header_row"] or 0
            assert header_rows + len(txs) + len(info.raw["skipped"]) == want
        elif fact == "data_rows":
            assert len(txs) + len(info.raw["skipped"]) == want
        elif fact in ("first_row", "header"):
            if info.raw["header_row"] == 1:
                assert info.raw["header"] == want
            elif info.raw["header_row"] is None:  # no header: the first row is a transaction
                assert [v for k, v in txs[0].raw.items() if k.startswith("column ")] == want
            else:  # a preamble row before the header
                assert info.raw["header_row"] > 1
                assert want[0] not in info.raw["header"]
        else:
            raise AssertionError(f"unchecked fact {fact!r}")


def _check_csv_asserts(
    name: str, facts: dict[str, Any], txs: list[Transaction], info: StatementInfo
) -> None:
    for fact, want in facts.items():
        if fact in ("mapping", "note"):
            continue  # describes the source project's configuration, checked below per fact
        if fact == "statement_count":
            # Odoo creates no statement for an export without rows; we always report the
            # file's statement facts, so count the statements that hold something
            assert int(info.transaction_count > 0 or info.closing_balance is not None) == want
        elif fact == "line_count" and name.endswith("multi_currency.csv"):
            # OCA imports into a USD journal, which takes only the USD rows; we read every row
            # with its own currency
            assert len([tx for tx in txs if tx.currency == "USD"]) == want
            assert {tx.currency for tx in txs} == {"USD", "EUR"}
        elif fact == "line_count":
            assert len(txs) == want
        elif fact == "line_amount":  # the USD row of multi_currency.csv, see above
            (usd,) = [tx for tx in txs if tx.currency == "USD"]
            assert _signed(usd) == Decimal(str(want))
        elif fact == "balance_start":
            assert info.opening_balance == Decimal(str(want))
        elif fact == "balance_end_real":
            assert info.closing_balance == Decimal(str(want))
            if name.endswith("debit_credit_amount.csv"):
                # OCA's mapping reads the Debit column as money in: only that reading makes the
                # file's running balance add up, and our parser finds it from the balance
                assert all(any("other way round" in w for w in tx.warnings) for tx in txs)
            # the balance chains through every row in the reading we chose
            running = info.opening_balance
            assert running is not None
            for tx in txs:
                running += _signed(tx)
                assert tx.raw["balance"] == running
        elif fact.startswith("line_LABEL_"):
            # OCA's mapping takes abs(Debit) as positive and abs(Credit) as negative. The file
            # itself writes the Debit amounts with a minus sign ("-50,00") and has no running
            # balance to say otherwise, so we read Debit as money out: same amount, the sign
            # the file gives it.
            label = fact.removeprefix("line_").removesuffix("_amount").replace("_", " ")
            (tx,) = [tx for tx in txs if tx.reference.startswith(label + " ")]
            assert _signed(tx) == -Decimal(str(want))
        elif fact == "amount_currency":
            # OCA copies the sign of the amount onto the original-currency amount
            (tx,) = txs
            assert abs(tx.raw["original_amount"]) == Decimal(str(want))
            assert tx.raw["original_currency"] == "EUR"
        elif fact == "payment_ref":
            (tx,) = txs
            assert tx.reference == want
        elif fact == "account_id":
            # the plugin names the account "Revolut" by default; the export names none, the
            # Revolut layout is what recognised it
            assert info.raw["layout"] == want
            assert info.account is None
        elif fact in ("lines", "first_line"):
            lines = want if fact == "lines" else [want]
            for index, line in enumerate(lines):
                # "lines" are the plugin's lines in file order; the "first_line" of the
                # pending-rows test is not the file's first completed row, so find it by value
                candidates = [txs[index]] if fact == "lines" else txs
                matching = [tx for tx in candidates if _revolut_matches(tx, line)]
                assert len(matching) == 1, line
        else:
            raise AssertionError(f"unchecked fact {fact!r}")


def _revolut_matches(tx: Transaction, line: dict[str, Any]) -> bool:
    ok = (
        _signed(tx) == Decimal(line["amount"])
        and tx.currency == line["currency"]
        and tx.counterparty_name == line["payee"]
        and _REVOLUT_TRNTYPE.get(tx.raw["Type"]) == line["trntype"]
    )
    completed = dt.datetime.fromisoformat(line["date"])
    ok = ok and tx.booking_date == completed.date()
    ok = ok and dt.datetime.fromisoformat(_pad_time(tx.raw["Completed Date"])) == completed
    if "date_user" in line:
        started = dt.datetime.fromisoformat(line["date_user"])
        ok = ok and tx.value_date == started.date()
        ok = ok and dt.datetime.fromisoformat(_pad_time(tx.raw["Started Date"])) == started
    # line["id"] is a hash the plugin computes (not in the file); our bank_ref is our own
    # stable synthetic reference, checked for uniqueness and stability above
    return ok


def _pad_time(text: str) -> str:
    """Revolut writes "2021-09-06 6:11:59"; ISO wants a two-digit hour."""
    return re.sub(r" (\d):", r" 0\1:", text)


def test_csv_without_header_needs_a_layout() -> None:
    path = CORPUS / "csv" / "oca-bsi-sheet__original_currency_no_header.csv"
    if not path.is_file():
        pytest.skip(f"corpus not found at {CORPUS}")
    with pytest.raises(ParseError, match="unknown CSV/XLSX layout") as caught:
        tabular.parse(path.read_bytes(), path.name, ParseSettings())
    assert "'Azure Interior'" in str(caught.value) and "'INV0001'" in str(caught.value)
