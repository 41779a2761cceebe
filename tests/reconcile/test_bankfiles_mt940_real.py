"""Real MT940 files from other projects' test suites, checked against what those projects assert.

Fixtures in ``data/bankfiles`` (all from permissively licensed projects):

- ``mt940_jejik_olb_bad_forward_balance.sta``: sandermarechal/jejik-mt940 (MIT),
  ``tests/.../Fixture/document/K4262927_20200905-080000-952.txt`` (Oldenburgische Landesbank).
- ``mt940_php_rabo_sepa_accounts.swi``, ``mt940_php_rabo_pref.swi``: fruitl00p/php-mt940 (MIT),
  ``test/Parser/Banking/Mt940/Engine/Rabo/sample3`` and ``sample4``.
- ``mt940_php_rabo_old_format.swi``: the same project's ``Rabo/sample`` (Rabobank's pre-SEPA
  layout), a few empty repeated statements left out.
- ``mt940_wolph_asnb_free_text.sta``: WoLpH/mt940 (BSD-3-Clause), ``mt940_tests/ASNB/mt940.txt``,
  five of its 31 daily statements.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction

DATA = Path(__file__).parent / "data" / "bankfiles"


def _read(name: str) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "mt940"
    return result


def _party(tx: Transaction) -> tuple[str | None, str | None]:
    if tx.direction == "credit":
        return tx.payer_name, tx.payer_account
    return tx.payee_name, tx.payee_account


def test_an_unreadable_forward_balance_costs_a_warning_not_the_statement() -> None:
    """``:65F:Dnullnull7414,3`` is no balance; jejik-mt940 still reads the entry."""
    result = _read("mt940_jejik_olb_bad_forward_balance.sta")
    (info,) = result.statements
    assert info.sequence == "172/1" and info.account == "28020050/1426292700"
    assert (info.opening_balance, str(info.opening_date), info.currency) == (
        Decimal("0"),
        "2020-09-04",
        "EUR",
    )
    assert "65F" in info.raw["warnings"][0] and "Dnullnull7414,3" in info.raw["warnings"][0]
    (tx,) = result.transactions
    assert (tx.amount, tx.direction, str(tx.value_date), str(tx.booking_date)) == (
        Decimal("230.00"),
        "credit",
        "2020-09-04",
        "2020-09-04",
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"], tx.raw["prima_nota"]) == (
        "166",
        "GUTSCHRIFT",
        "0004772",
    )
    assert tx.raw["end_to_end_ref"] == "SCP 100 / 0082002528"
    assert (tx.payer_name, tx.payer_account, tx.payer_bank) == (
        "EWE VERTRIEB GmbH",
        "DE59280200501000000000",
        "OLBODEH2XXX",
    )
    assert tx.reference.startswith("D 803020001000145464 +1000145463 XXXXXXX,XXXXXX")
