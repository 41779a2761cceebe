"""Real MT940 files a tester ran through ``python -m reconcile parse`` (sweep 38), one per defect.

The files in ``data/bankfiles`` are the bytes those projects keep, or whole statements cut out
of them (named below):

- ``mt940_wolph_betterplace_eref_cut_on_space.sta``: WoLpH/mt940 (the betterplace folder is
  Apache-2.0, see ``test_mt940_sepa``), ``mt940_tests/betterplace/sepa_mt9401.sta``, its
  5th and 14th statements whole. ``?20EREF+TFNR 21005 EndToEndId `` is a full subfield whose
  27th character is a space; the reference goes on in ``?2100001``. The library reads
  ``TFNR 21005 EndToEndId 00001`` and the purpose ``Verwend CTSc-01 eBB TFNr 21005``.
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import ParseResult
from reconcile.model import Transaction

from .samples import read_sample


def _read(name: str) -> ParseResult:
    return read_sample(name, "mt940")


def _by_amount(txs: list[Transaction], amount: str) -> Transaction:
    (tx,) = [tx for tx in txs if tx.amount == Decimal(amount)]
    return tx


def test_a_full_subfield_cut_on_a_space_goes_on_in_the_next() -> None:
    txs = _read("mt940_wolph_betterplace_eref_cut_on_space.sta").transactions
    transfer = _by_amount(txs, "50990.05")
    assert transfer.raw["end_to_end_ref"] == "TFNR 21005 EndToEndId 00001"
    assert transfer.reference == "Verwend CTSc-01 eBB TFNr 21005 | EREF TFNR 21005 EndToEndId 00001"
    assert transfer.raw["customer_ref"] == "TFNR 21005 Instruction Id 00001"
    assert (transfer.payee_name, transfer.payee_account) == (
        "Empfaenger Florian Frech UK 01",
        "DE76508800500194780101",
    )
    # ?20KREF+PayId CTSc-01  BC PPP (27 characters, a space the 27th) + ?21TFNr 05006
    batch = _by_amount(txs, "342104")
    assert batch.raw["customer_ref"] == "PayId CTSc-01 BC PPP TFNr 05006"
    assert batch.reference == "MTLG:SEPA-Ueberweisungsauftrag Datei mit 0000004 Zahlungen"
