"""Polish banks' CSV exports in CP1250: mBank, ING Bank Śląski and Bank Millennium.

No real export of these banks was found in a public test suite, so the files in
``data/bankfiles/csv_pl_*.csv`` are written by us in each bank's documented layout (the column
names, the ``#`` of mBank's header cells, the title lines above the table, the amounts
``1 234,56`` and ``-1 234,56 PLN``, accounts between apostrophes), encoded in Windows-1250 with
CRLF line ends as the banks send them:

- ``csv_pl_mbank.csv``: mBank's "Elektroniczne zestawienie operacji" (``#Data operacji;#Data
  księgowania;#Opis operacji;#Tytuł;#Nadawca/Odbiorca;#Numer konta;#Kwota;#Saldo po operacji``),
  the currency and our account stated above the table, a closing balance line below it.
- ``csv_pl_mbank_lista.csv``: mBank's "Lista operacji" (``#Data operacji;#Opis operacji;
  #Rachunek;#Kategoria;#Kwota``, amounts ``-1 234,56 PLN``).
- ``csv_pl_ing.csv``: ING Bank Śląski's "Lista transakcji": eight title lines, then ``"Data
  transakcji";"Data księgowania";"Dane kontrahenta";"Tytuł";"Nr rachunku";...;"Kwota transakcji
  (waluta rachunku)";"Waluta";...`` (four ``Waluta`` columns: the first is the amount's).
- ``csv_pl_millennium.csv``: Bank Millennium (comma-separated; ``Obciążenia`` and ``Uznania``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction

DATA = Path(__file__).parent / "data" / "bankfiles"


def _read(name: str) -> ParseResult:
    data = (DATA / name).read_bytes()
    data.decode("cp1250")  # the fixture is what the banks send
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "tabular"
    assert result.statements[0].raw["encoding"] == "cp1250"
    return result


def _party(tx: Transaction) -> tuple[str | None, str | None]:
    if tx.direction == "credit":
        return tx.payer_name, tx.payer_account
    return tx.payee_name, tx.payee_account


def _moves(result: ParseResult) -> list[tuple[dt.date, str, Decimal, str]]:
    return [(tx.booking_date, tx.direction, tx.amount, tx.currency) for tx in result.transactions]


def test_mbank_statement_export() -> None:
    result = _read("csv_pl_mbank.csv")
    (info,) = result.statements
    assert (info.account, info.currency) == ("50114020040000360276034397", "PLN")
    assert _moves(result) == [
        (dt.date(2026, 8, 3), "credit", Decimal("12000.00"), "PLN"),
        (dt.date(2026, 8, 4), "credit", Decimal("2460.00"), "PLN"),
        (dt.date(2026, 8, 5), "debit", Decimal("1234.56"), "PLN"),
    ]
    first, second, rent = result.transactions
    assert first.reference == "PRZELEW ZEWNĘTRZNY PRZYCHODZĄCY FAKTURA FV/2026/08/117 ZA USŁUGI"
    assert _party(second)[1] == "61109010140000071219812874"  # written '6110...2874'
    assert second.payer_name is not None and second.payer_name.startswith(
        "GRZEGORZ BRZĘCZYSZCZYKIEWICZ"
    )
    assert _party(rent) == ("SPÓŁDZIELNIA MIESZKANIOWA ŻOLIBORZ", "83101010230000261395100000")
    assert rent.raw["balance"] == Decimal("23225.44")


def test_mbank_operations_list_with_the_currency_after_the_amount() -> None:
    result = _read("csv_pl_mbank_lista.csv")
    assert _moves(result) == [
        (dt.date(2026, 8, 18), "debit", Decimal("118.00"), "PLN"),
        (dt.date(2026, 8, 19), "credit", Decimal("12000.00"), "PLN"),
        (dt.date(2026, 8, 20), "debit", Decimal("1234.56"), "PLN"),
    ]
    assert result.transactions[0].reference == "LIDL ŁÓDŹ ZAKUP PRZY UŻYCIU KARTY W KRAJU"


def test_ing_bank_slaski_export_below_its_title_lines() -> None:
    result = _read("csv_pl_ing.csv")
    (info,) = result.statements
    assert (info.account, info.currency) == ("12105014451000009077771234", "PLN")
    assert info.raw["delimiter"] == ";"
    assert _moves(result) == [
        (dt.date(2026, 8, 3), "credit", Decimal("12000.00"), "PLN"),
        (dt.date(2026, 8, 5), "credit", Decimal("2460.00"), "PLN"),
        (dt.date(2026, 8, 5), "debit", Decimal("1234.56"), "PLN"),
    ]
    invoice, _, rent = result.transactions
    assert invoice.bank_ref == "202608031234567"
    assert invoice.reference.startswith("FAKTURA FV/2026/08/117 ZA USŁUGI")
    assert _party(invoice)[1] == "12102010260000042270201111"
    assert _party(rent)[0] == "SPÓŁDZIELNIA MIESZKANIOWA ŻOLIBORZ"


def test_bank_millennium_export_with_debit_and_credit_columns() -> None:
    result = _read("csv_pl_millennium.csv")
    (info,) = result.statements
    assert (info.account, info.currency) == ("PL11116022020000000298765432", "PLN")
    assert _moves(result) == [
        (dt.date(2026, 8, 5), "debit", Decimal("1234.56"), "PLN"),
        (dt.date(2026, 8, 4), "credit", Decimal("2460.00"), "PLN"),
        (dt.date(2026, 8, 3), "credit", Decimal("12000.00"), "PLN"),
    ]
    rent = result.transactions[0]
    assert rent.reference == "CZYNSZ SIERPIEŃ"
    assert _party(rent) == ("SPÓŁDZIELNIA MIESZKANIOWA ŻOLIBORZ", "PL83101010230000261395100000")
