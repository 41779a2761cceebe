"""More banks' MT940 files from other projects' test suites, checked against what they assert.

Fixtures in ``data/bankfiles`` (byte copies, from MIT-licensed projects):

- ``mt940_zilverline_deutsche_bank.txt``, ``mt940_zilverline_van_lanschot.txt``,
  ``mt940_zilverline_rabo_dash_line.txt``, ``mt940_zilverline_moneyou.txt``: zilverline/mt940,
  ``spec/fixtures/deutsche_bank.txt``, ``van_lanschot/van_lanschot.txt``,
  ``rabobank/dash_as_start_of_line.txt``, ``abn/moneyou.txt``; the values are those of its
  ``spec/mt940_deutsche_bank_spec.rb``, ``mt940_van_lanschot_spec.rb``,
  ``mt940_rabobank_spec.rb`` and ``mt940_moneyou_spec.rb``.
- ``mt940_zilverline_ing_incasso.txt``, ``..._ing_incasso_foreign.txt``,
  ``..._ing_incasso_wrapped.txt``, ``mt940_zilverline_triodos_multiline.txt``: the same
  project's ``ing/eu_incasso.txt``, ``ing/eu_incasso_foreign_transaction.txt``,
  ``ing/failing.txt`` and ``triodos_multiline_bug.txt`` (``mt940_ing_spec.rb``,
  ``mt940_triodos_spec.rb``).
- ``mt940_svenstaro_danske_fi.txt``: svenstaro/mt940-rs, ``tests/data/MT940_FI_Example.txt``
  (Danske Bank Finland), checked against its ``danskebank/MT940_FI_Example.json``.

hbci4j/hbci4java is LGPL, so its Sparkassen quirks (``TestBrokenMT940``: a ``-`` end mark glued
to the next tag, or alone on a line between entries) are in files of our own below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(data: bytes, name: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "mt940"
    return result


def _read(name: str) -> ParseResult:
    return _parse((DATA / name).read_bytes(), name)


def _party(tx: Transaction) -> tuple[str | None, str | None, str | None]:
    """The other party's name, account and bank (the model keeps a bank for payers only)."""
    if tx.direction == "credit":
        return tx.payer_name, tx.payer_account, tx.payer_bank
    return tx.payee_name, tx.payee_account, tx.raw.get("bank")


def test_deutsche_bank_gvc_wrapped_inside_subfields() -> None:
    """Subfields cut across lines mid-value (``?31DE42`` + ``2938944551657098369``), an unknown
    ``?96`` and a ``?2A`` that is no subfield number, a ``:61:`` without entry date."""
    result = _read("mt940_zilverline_deutsche_bank.txt")
    transfer, debit = result.transactions
    assert (transfer.direction, transfer.amount, transfer.currency) == (
        "credit",
        Decimal("3.99"),
        "EUR",
    )
    assert (transfer.value_date, transfer.booking_date) == (
        dt.date(2014, 3, 25),
        dt.date(2014, 3, 26),
    )
    assert transfer.bank_ref == "8848037917407749"
    assert transfer.raw["customer_reference"] == "NONREF"
    assert (transfer.raw["gvc"], transfer.raw["posting_text"]) == ("166", "SEPA-GUTSCHRIFT")
    assert _party(transfer) == ("PETRA TESTER", "DE422938944551657098369", "GENODE61KA1")
    assert transfer.reference == "DE38XXZ76536723768 335"  # SVWZ of zilverline's description
    assert (debit.direction, debit.amount, debit.currency) == ("credit", Decimal("0.01"), "EUR")
    assert debit.value_date == debit.booking_date == dt.date(2014, 3, 28)
    assert (debit.raw["gvc"], debit.raw["posting_text"]) == ("171", "SEPA-LASTSCHRIFT EINR.")
    assert _party(debit) == ("PETER TESTER", "DE04400694620000233025", "GENODEM1MSS")
    # zilverline: "EREF+D979899680037A3DFA78E4KREF+43478SVWZ+7458.6345.6353 SEPA-DIRECT-..."
    assert debit.raw["end_to_end_ref"] == "D979899680037A3DFA78E4"
    assert debit.raw["customer_ref"] == "43478"
    assert debit.reference.startswith(
        "7458.6345.6353 SEPA-DIRECT-DEBIT-DT.-BANK-1 HALLOWELT.IHRE REFERENZ: 766413"
    )
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (Decimal("0.00"), Decimal("5.87"))


def test_van_lanschot_statements_behind_bank_headers() -> None:
    result = _read("mt940_zilverline_van_lanschot.txt")
    assert [s.transaction_count for s in result.statements] == [1, 2, 1]
    assert [(s.opening_balance, s.closing_balance) for s in result.statements] == [
        (Decimal("5053.33"), Decimal("7770.09")),
        (Decimal("7770.09"), Decimal("5666.09")),
        (Decimal("5666.09"), Decimal("4849.34")),
    ]
    assert [s.closing_date for s in result.statements] == [
        dt.date(2014, 1, 10),
        dt.date(2014, 1, 13),
        dt.date(2014, 1, 22),
    ]
    first, tax, _, incasso = result.transactions
    assert (first.direction, first.amount, first.value_date) == (
        "credit",
        Decimal("2716.76"),
        dt.date(2014, 1, 10),
    )
    assert _party(first) == ("ABDFGEKSLJFN ASLDJDKE B.V", "NL81RABO0444444444", "RABONL2U")
    assert first.raw["end_to_end_ref"] == "333333333"
    assert first.reference.startswith("201400-001")
    assert _party(tax)[:2] == ("belastingdienst", "NL86INGB0002445588")
    assert tax.reference == "2222.44.111.B.02.444.0" and tax.direction == "debit"
    assert _party(incasso)[:2] == ("BEN", "NL80RABO0676767676")
    assert incasso.reference.startswith(
        "Kenmerk: 1234.4321.0000.5555 Omschrijving: 123123444 01-01-2014 3 MND 8888888888 "
        "Servicecontract"
    )
    assert all(t.currency == "EUR" and t.our_account == "0878787878" for t in result.transactions)


def test_rabobank_end_mark_at_the_start_of_a_line() -> None:
    """zilverline's "handles end of file sign as first char of line": the lone ``-`` line
    before ``:62F:`` ends the message, it is not part of the ``:86:`` text."""
    result = _read("mt940_zilverline_rabo_dash_line.txt")
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.currency) == ("credit", Decimal("1000.00"), "EUR")
    assert tx.raw["type_code"] == "N541"
    assert tx.reference.startswith(
        "kenmerk 4082412175836145 Rel.nr. 8888888900 Periode 01-01-2018/31-01-2018 Arrap "
        "xxxxx yyyyyyyyyyyyyy - |"
    )


def test_moneyou_entry_dates_in_the_year_before() -> None:
    result = _read("mt940_zilverline_moneyou.txt")
    first, second = result.transactions
    assert (first.amount, first.value_date, first.booking_date) == (
        Decimal("6.44"),
        dt.date(2019, 1, 1),
        dt.date(2018, 12, 31),
    )
    assert (second.amount, second.value_date, second.booking_date) == (
        Decimal("5.32"),
        dt.date(2019, 4, 1),
        dt.date(2019, 3, 29),
    )
    assert {t.direction for t in result.transactions} == {"credit"}
    assert first.reference == second.reference == "ONTVANGEN RENTE"
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("43119.71"),
        Decimal("43131.47"),
    )


def test_danske_bank_finland_funds_code_after_the_mark() -> None:
    """``DR583,92``: debit, funds code R (mt940-rs); statement-level ``:86:`` before entries."""
    result = _read("mt940_svenstaro_danske_fi.txt")
    got = [
        (t.value_date, t.booking_date, t.direction, t.amount, t.raw["type_code"])
        for t in result.transactions
    ]
    assert got == [
        (dt.date(2009, 9, 25), dt.date(2009, 9, 25), "debit", Decimal("583.92"), "NMSC"),
        (dt.date(2009, 9, 30), dt.date(2009, 9, 30), "debit", Decimal("390.40"), "NMSC"),
        (dt.date(2009, 9, 30), dt.date(2009, 9, 30), "debit", Decimal("265.41"), "NMSC"),
        (dt.date(2009, 10, 1), dt.date(2009, 9, 30), "debit", Decimal("62.60"), "NCHG"),
        (dt.date(2009, 9, 29), dt.date(2009, 9, 29), "debit", Decimal("55.00"), "NMSC"),
        (dt.date(2009, 10, 1), dt.date(2009, 9, 30), "credit", Decimal("0.23"), "FINT"),
    ]
    assert {t.raw["funds_code"] for t in result.transactions} == {"R"}
    assert result.transactions[3].raw["customer_reference"] == "Fees according"
    assert result.transactions[3].bank_ref == "to advice"
    (info,) = result.statements
    assert (info.statement_id, info.account, info.currency) == (
        "3996-11-11111111",
        "DABADKKK/111111-11111111",
        "EUR",
    )
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("54484.04"),
        Decimal("53126.94"),
    )
    assert info.raw["information"][0] == "For your inform. IBAN no.: FI1111111111111111"


def test_sparkassen_end_mark_glued_to_the_next_tag() -> None:
    """hbci4java's TestBrokenMT940: ``-:61:`` and ``-:25:`` after a line, and a lone ``-``
    between two entries; no entry and no ``:25:`` may be lost."""
    data = (
        b"\r\n:20:STARTUMSE\r\n-:25:12030000/1019815776\r\n:28C:00000/002\r\n"
        b":60M:C140106EUR1,00\r\n-:61:1401060106CR5,00N062NONREF\r\n"
        b":86:166?00GUTSCHRIFT?20RG 1\r\n-\r\n:61:1401060106CR2,00N062NONREF\r\n"
        b":62F:C140106EUR8,00\r\n"
    )
    result = _parse(data, "sparkasse.sta")
    assert [(t.direction, t.amount) for t in result.transactions] == [
        ("credit", Decimal("5.00")),
        ("credit", Decimal("2.00")),
    ]
    assert result.transactions[0].reference == "RG 1"
    (info,) = result.statements
    assert (info.statement_id, info.account) == ("STARTUMSE", "12030000/1019815776")


def test_hbci4java_entries_without_entry_date() -> None:
    """hbci4java's test-mt940-002 (two ``:61:`` without entry date, numeric GVC subfields):
    every line has a value date and a booking date."""
    data = (
        b"\n:20:STARTUMS\n:25:12345678/1234567890\n:28C:1\n:60F:C230209EUR100,00\n"
        b":61:230209CR2,00NTRF2023-02-09-08.37.18.054696\n"
        b":86:152?00GUTSCHRIFT UEBERWEISUNG?109245?20Test 1?32Max Mustermann?34000\n"
        b":61:230209CR1,00NTRF2023-02-09-08.37.18.552784\n"
        b":86:152?00GUTSCHRIFT UEBERWEISUNG?109245?20Test 2?32Max Mustermann?34000\n"
        b":62F:C230209EUR103,00\n-\n"
    )
    result = _parse(data, "umsaetze.sta")
    assert len(result.transactions) == 2
    for tx in result.transactions:
        assert tx.value_date == tx.booking_date == dt.date(2023, 2, 9)
        assert tx.payer_name == "Max Mustermann" and tx.direction == "credit"
    assert [t.reference for t in result.transactions] == ["Test 1", "Test 2"]


def test_a_second_account_field_does_not_replace_the_first() -> None:
    """betterplace/mt940_parser's (MIT) ``sepa_snippet_broken.txt``: the entry's ``:86:`` text
    written under a second ``:25:``. betterplace, mt940-rs and the Elixir port refuse the file;
    the entry is read here, the statement keeps its account, and the stray field is a warning."""
    data = (
        b":20:T089414086000001\n:25:50880050/0194787400888\n:28C:00004/00001\n"
        b":60F:C070903EUR766656,49\n:61:0709070904CR50990,05NTRFNONREF//0724710333343453\n"
        b":25:166?00GUTSCHRIFT?100399?20EREF+EndToEndId TFNR 22 004?21 00001?22\n"
        b"SVWZ+Verw CTSc-01 BC-PPP TF?23Nr 22 004?30DRESDEFF508?31DE1450880\n"
        b"0500194785000?32KARL?33        KAUFMANN?70Empfaenger Marta Metzge\nr\n"
        b":62F:C070904EUR1125250,4\n:64:C070904EUR559614,51"
    )
    result = _parse(data, "broken.sta")
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.value_date) == (
        "credit",
        Decimal("50990.05"),
        dt.date(2007, 9, 7),
    )
    assert tx.our_account == "50880050/0194787400888"
    (info,) = result.statements
    assert info.account == "50880050/0194787400888"
    assert info.closing_balance == Decimal("1125250.4")
    warning, balances = result.warnings
    assert warning.startswith("statement 1: unreadable MT940 field :25: '166?00GUTSCHRIFT?100399")
    # the snippet keeps one of the statement's four entries
    assert getattr(balances, "code", None) == "balance_mismatch"


def test_ing_old_layout_direct_debits_name_the_creditor() -> None:
    """ING's pre-2014 "Europese Incasso, doorlopend <IBAN> <BIC> <name> <creditor id> SEPA"
    text, cut at 65 characters anywhere (zilverline's contra account IBAN and owner)."""
    expected = {
        "mt940_zilverline_ing_incasso.txt": (
            Decimal("50.00"),
            "JAAPJAAP FIETS PAPIER QWDFDFGGASDFGDSFGS NV",
            "NL58INGB0000003000",
        ),
        "mt940_zilverline_ing_incasso_foreign.txt": (
            Decimal("50.97"),
            "Google Ireland Limited",
            "BB123456789876567898",
        ),
        "mt940_zilverline_ing_incasso_wrapped.txt": (
            Decimal("50.00"),
            "BOB",
            "NL80RABO0123456789",
        ),
    }
    for name, (amount, owner, iban) in expected.items():
        (tx,) = _read(name).transactions
        assert (tx.direction, tx.amount, tx.currency) == ("debit", amount, "EUR"), name
        assert (tx.payee_name, tx.payee_account) == (owner, iban), name


def test_triodos_subfields_cut_after_a_period() -> None:
    (tx,) = _read("mt940_zilverline_triodos_multiline.txt").transactions
    assert (tx.direction, tx.amount, tx.value_date) == (
        "debit",
        Decimal("122.28"),
        dt.date(2020, 11, 17),
    )
    assert tx.reference == (
        "RABO BETAALVERZOEK ORDERNUMMER NL26RABO1234567890 / TRANSACTIENUMMER "
        "0012345678903456 / 16-11-20 19:02 / T.P. DEN EO X. TUI-SXDCF:VOORGESCH:"
    )
    assert tx.payee_account == "NL13RABO0123456789"


def test_polish_subfields_marked_with_caret() -> None:
    """Polish ZBP statements whose subfields start with ``^`` (the layout of the PKO BP sample
    in railslove/epics' README and of ksidelta's Kotlin reader test, which reads title ?20,
    sender ?32+?33 and account ?38). Our own file of that layout: ``DN``/``CN`` marks (funds
    code N), ``?38`` as an IBAN or as the 26-digit NRB, subfields cut across lines."""
    data = (
        b":20:1\n:25:/PL12124012551111000015237873\n:28C:00152\n:60F:C081130PLN000000002535,03\n"
        b":61:0810021002DN000000001273,23N641NONREF\n"
        b":86:641^00PRZELEW MIEDZYBANKOWY BETA/^34000\n"
        b"^3019401076^38PL54194010765205871800000000\n"
        b"^20wynagrodzenie z tytulu umow^21y o prace\n^32KOWALSKA ANNA\n"
        b"^62UL. DLUGA 16/15 80-298 GD^63ANSK\n"
        b":61:2301020102CN000000000100,00N723112 20230101 51//CEN2301020646240\n"
        b":86:723^00PRZELEW OTRZYMANY ELIXIR   ^34000\n^3010501764  \n^20Skladka Jan Nowak\n"
        b"^32NOWAK JAN UL. POLNA 59^331/17 80-834 GDANSK\n^3822105017641000009215291726\n"
        b":62F:C230102PLN000000001361,80\n"
    )
    result = _parse(data, "pko.sta")
    salary, fee = result.transactions
    assert (salary.direction, salary.amount, salary.currency) == (
        "debit",
        Decimal("1273.23"),
        "PLN",
    )
    assert salary.raw["funds_code"] == "N" and salary.raw["gvc"] == "641"
    assert (salary.payee_name, salary.payee_account) == (
        "KOWALSKA ANNA",
        "PL54194010765205871800000000",
    )
    assert salary.reference.startswith("wynagrodzenie z tytulu umowy o prace")
    # ^62/^63 hold the address, cut inside a word: the address, not the title
    assert salary.reference == "wynagrodzenie z tytulu umowy o prace"
    assert salary.raw["address"] == "UL. DLUGA 16/15 80-298 GDANSK"
    assert (fee.direction, fee.amount, fee.bank_ref) == (
        "credit",
        Decimal("100.00"),
        "CEN2301020646240",
    )
    assert fee.reference == "Skladka Jan Nowak"
    # ^32/^33 hold the name and the address after it (cut inside the house number)
    assert (fee.payer_name, fee.payer_account) == ("NOWAK JAN", "22105017641000009215291726")
    assert fee.raw["address"] == "UL. POLNA 591/17 80-834 GDANSK"


def test_polish_subfields_marked_with_tilde_after_a_bare_code() -> None:
    """The ``~`` layout of the AuroParser example: a first ``:86:`` holding only the business
    code, then the same code with ``~nn`` subfields, one per line. Our own file."""
    data = (
        b":20:MT940\n:25:/PL80224030990000400208955593\n:28C:180521\n:60F:D180522PLN1000,00\n"
        b":61:1805220522C241,08S15000000029217\n:86:150\n"
        b":86:150~00B150PRZELEW ZEWNETRZNY PRZY\n~20faktura 12/2018\n~21\n~22\n"
        b"~3022222222\n~312222222222222222\n~32FIRMA TESTOWA SP. Z O.O.   \n~33\n~34150\n"
        b"~38PL61109010140000071219812874\n~6222-222 WARSZAWA\n~63\n"
        b":62F:D180522PLN758,92\n"
    )
    result = _parse(data, "pekao.sta")
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.raw["type_code"]) == ("credit", Decimal("241.08"), "S150")
    assert (tx.payer_name, tx.payer_account) == (
        "FIRMA TESTOWA SP. Z O.O.",
        "PL61109010140000071219812874",
    )
    assert tx.raw["gvc"] == "150" and tx.reference.startswith("faktura 12/2018")
    assert (tx.reference, tx.raw["address"]) == ("faktura 12/2018", "22-222 WARSZAWA")
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (Decimal("-1000.00"), Decimal("-758.92"))


def test_subfields_without_the_business_code() -> None:
    """``:86:?00KARTENZAHLUNG?20...?32...``: the ``?nn`` form with its three-digit code left
    out, as FinTS clients' tests and bank-statement importers write it. Our own file."""
    data = (
        b":20:STARTUMS\n:25:DE02120300000000202051/EUR\n:28C:00012/001\n:60F:C260901EUR1000,00\n"
        b":61:2609020902D42,19NMSCNONREF//BREF-1\n"
        b":86:?00KARTENZAHLUNG?20Einkauf Wochenmarkt?31DE89370400440532013000?32REWE Markt GmbH\n"
        b":61:2609050905C2810,44NTRFLohn//BREF-2\n"
        b":86:?00GUTSCHRIFT?20Gehalt September?32Arbeitgeber AG\n:62F:C260905EUR3768,25\n-\n"
    )
    card, salary = _parse(data, "umsatz.sta").transactions
    assert (card.direction, card.amount, card.reference) == (
        "debit",
        Decimal("42.19"),
        "Einkauf Wochenmarkt",
    )
    assert (card.payee_name, card.payee_account) == ("REWE Markt GmbH", "DE89370400440532013000")
    assert card.raw["posting_text"] == "KARTENZAHLUNG" and "gvc" not in card.raw
    assert (salary.direction, salary.payer_name, salary.reference) == (
        "credit",
        "Arbeitgeber AG",
        "Gehalt September",
    )
    assert card.our_account == "DE02120300000000202051"
