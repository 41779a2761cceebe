"""German GVC ``:86:`` SEPA keywords (``EREF+``, ``KREF+``, ``SVWZ+``...) and the ``:61:`` customer
reference, on real files.

- ``mt940_wolph_betterplace_sepa.sta``: WoLpH/mt940, ``mt940_tests/betterplace/sepa_snippet.sta``
  (Apache-2.0, the folder's LICENSE; byte copy). Its ``sepa_snippet.yml`` reads the first
  entry's end-to-end reference as ``EndToEndId TFNR 22 004 00001`` and glues the returns'
  reference to their text (``TFNR 40001 00005MTLG:Grund nicht spezifiziert ...``).
- ``mt940_zilverline_deutsche_bank.txt``: zilverline/mt940 (MIT),
  ``spec/fixtures/deutsche_bank.txt``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction

DATA = Path(__file__).parent / "data" / "bankfiles"
BETTERPLACE = "mt940_wolph_betterplace_sepa.sta"


def _parse(data: bytes, name: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "mt940"
    return result


def _by_amount(txs: list[Transaction], amount: str) -> Transaction:
    (tx,) = [tx for tx in txs if tx.amount == Decimal(amount)]
    return tx


def test_a_short_identifier_ends_with_its_subfield() -> None:
    """``?20EREF+TFNR 40001 00005?21MTLG:Grund nicht s...``: the end-to-end reference ends
    with ``?20`` (not full), the text after it is the remittance text; a full ``?20``
    (``EREF+EndToEndId TFNR 22 004``, 27 characters) goes on in ``?21`` (`` 00001``)."""
    txs = _parse((DATA / BETTERPLACE).read_bytes(), BETTERPLACE).transactions
    assert len(txs) == 11
    returned = _by_amount(txs, "0.08")
    assert returned.raw["end_to_end_ref"] == "TFNR 40001 00005"
    assert returned.reference == (
        "MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag | EREF TFNR 40001 00005"
    )
    first = _by_amount(txs, "50990.05")
    assert first.raw["end_to_end_ref"] == "EndToEndId TFNR 22 004 00001"
    assert first.reference.startswith("Verw CTSc-01 BC-PPP TFNr 22 004")
    assert _by_amount(txs, "15000.05").raw["end_to_end_ref"] == "EndToEndIdTFNR2000100001"


def test_kref_is_the_customer_ref_only_and_the_statement_line_reference_stays_as_written() -> None:
    """``?20KREF+TFNr 01022 MSGID CTSc-?2101 EBB?22MTLG:...``: KREF (full ``?20``, so it goes on
    in ``?21``) is ``raw["customer_ref"]`` and nowhere in the description, which is the text
    after it; the ``:61:``'s own customer reference (``KREF+``, before ``//``) is kept."""
    data = (DATA / BETTERPLACE).read_bytes()
    txs = _parse(data, BETTERPLACE).transactions
    batch = _by_amount(txs, "1500.00")
    assert batch.raw["customer_ref"] == "TFNr 01022 MSGID CTSc-01 EBB"
    assert batch.reference == "MTLG:SEPA-Ueberweisungsauftrag Datei mit 0000001 Zahlungen"
    assert batch.raw["customer_reference"] == "KREF+"
    assert batch.bank_ref == "536D80EFEC56ACF8"
    # the same line without its bank reference: the library would put the :86:'s KREF+ in
    # the place of the :61: customer reference ("KREF+\nTFNr 01022 MSGID CTSc-01 EBB")
    line = b":61:0709040904DR1500,00NTRFKREF+//536D80EFEC56ACF8"
    assert line in data
    txs = _parse(data.replace(line, b":61:0709040904DR1500,00NTRFKREF+"), "b.sta").transactions
    batch = _by_amount(txs, "1500.00")
    assert batch.raw["customer_reference"] == "KREF+"
    assert batch.raw["customer_ref"] == "TFNr 01022 MSGID CTSc-01 EBB"
    assert batch.bank_ref.startswith("KREF+-")


def test_a_placeholder_end_to_end_reference_is_no_reference() -> None:
    """``EREF+NOTPROVIDED`` (zilverline's Deutsche Bank file) gives no end-to-end reference."""
    name = "mt940_zilverline_deutsche_bank.txt"
    transfer, debit = _parse((DATA / name).read_bytes(), name).transactions
    assert "EREF+NOTPROVIDED" in transfer.raw["details"]
    assert transfer.raw.get("end_to_end_ref") is None
    assert transfer.reference == "DE38XXZ76536723768 335"
    assert debit.raw["end_to_end_ref"] == "D979899680037A3DFA78E4"
