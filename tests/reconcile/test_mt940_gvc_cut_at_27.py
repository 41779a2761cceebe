"""German GVC ``:86:`` subfields cut at their 27 characters where the cut falls on a space.

The layout is the Deutsche Kreditwirtschaft's "Mehrzweckfeld" as Sparkassen write it (see
``mt940_gvc_sparkasse.sta``): business code, ``?00`` posting text, ``?10`` prima nota, the purpose
cut into ``?20``-``?29`` of 27 characters wherever the 27th falls (here once on a space, once
inside a date), ``?30``/``?31`` bank and IBAN, the name cut into ``?32``/``?33``. Writers differ
in what they do with the space at a cut: kept (``0417 ``), trimmed (``0417``), or lost to the
padding of a file that fills its lines to a fixed width (as cmxl, Moneyou and Van Lanschot do,
see ``mt940_zilverline_van_lanschot.txt``). All three are read alike.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings
from tests.reconcile.samples import read_sample

HEAD = [
    ":20:STARTUMSE",
    ":25:37050198/1234567890",
    ":28C:00012/001",
    ":60F:C261102EUR12345,67",
    ":61:2611031103CR1500,00NTRFNONREF//POS 123",
]
TAIL = [":62F:C261103EUR13845,67", "-"]


def _subfields(cut_space: str) -> list[str]:
    return [
        ":86:166?00GUTSCHR. UEBERWEISUNG?109310",
        "?20EREF+RE-2026-0417",
        "?21SVWZ+Rechnung RE-2026-0417" + cut_space,
        "?22und RE-2026-0418 vom 01.11.",
        "?232026 Kundennr. 10023",
        "?30BYLADEM1001",
        "?31DE02700202700123456789",
        "?32MUSTER BAU GMBH UND CO. KG" + cut_space,
        "?33NIEDERLASSUNG SUED",
    ]


def _file(lines: list[str], width: int | None) -> bytes:
    if width:
        lines = [line.ljust(width) for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


@pytest.mark.parametrize(
    ("cut_space", "width"),
    [(" ", None), ("", None), (" ", 65), ("", 65)],
    ids=["space-kept", "space-trimmed", "padded-with-space", "padded-trimmed"],
)
def test_a_cut_on_a_space_keeps_the_words_apart(cut_space: str, width: int | None) -> None:
    assert len("SVWZ+Rechnung RE-2026-0417 ") == len("MUSTER BAU GMBH UND CO. KG ") == 27
    (result,) = parse_bytes(
        _file([*HEAD, *_subfields(cut_space), *TAIL], width), "sparkasse.sta", ParseSettings()
    )
    assert result.error is None, result.error
    (tx,) = result.transactions
    assert (tx.direction, tx.amount) == ("credit", Decimal("1500.00"))
    # the full ?22 cut inside the date goes on without a gap: 01.11. + 2026
    assert tx.reference.split(" | ")[0] == (
        "Rechnung RE-2026-0417 und RE-2026-0418 vom 01.11.2026 Kundennr. 10023"
    )
    assert tx.raw["end_to_end_ref"] == "RE-2026-0417"
    assert tx.payer_name == "MUSTER BAU GMBH UND CO. KG NIEDERLASSUNG SUED"
    assert tx.payer_account == "DE02700202700123456789"


def test_a_short_subfield_cut_inside_a_word_still_joins_without_a_gap() -> None:
    # Commerzbank's ?32TESTER ?33EL and betterplace's Belegloser Zahlu + ngsauftrag stay whole
    lines = [*HEAD, ":86:166?00GUTSCHRIFT?20Rechnung Nr. 4711 Handels", "?21gesellschaft", *TAIL]
    (result,) = parse_bytes(_file(lines, 65), "sparkasse.sta", ParseSettings())
    assert result.transactions[0].reference == "Rechnung Nr. 4711 Handelsgesellschaft"


def test_a_short_subfield_that_goes_on_on_its_line_is_joined_as_written() -> None:
    """Commerzbank's return (jejik/mt940's ``commerzbank.sta``): ``?27`` holds 26 characters
    but the next subfield follows on the same line, inside the customer number 202227779."""
    data = (
        Path(__file__).parent / "data" / "bankfiles" / "mt940_jejik_commerzbank.sta"
    ).read_bytes()
    (result,) = parse_bytes(data, "commerzbank.sta", ParseSettings())
    assert "KUNDENNUM MER 202227779" in result.transactions[0].reference


# --------------------------------------------------------------------------------------------
# All capitals: the case of the letters cannot tell where a word ends, the subfield's length
# can. A writer that fills its subfields cuts at the 27th character; one it ends sooner ended a
# word or an item there.


def _entry(details: list[str]) -> str:
    (result,) = parse_bytes(_file([*HEAD, *details, *TAIL], None), "sparkasse.sta", ParseSettings())
    assert result.error is None, result.error
    (tx,) = result.transactions
    return tx.reference


def test_all_capital_subfields_that_end_short_end_their_words() -> None:
    lines = [
        ":86:166?00GUTSCHR. UEBERWEISUNG?109310?20EREF+RE-2026-0417",
        "?21SVWZ+RECHNUNG 4711?22TEIL 2 VOM 01.11.2026?23KUNDENNR. 10023",
        "?30BYLADEM1001?31DE02700202700123456789?32MUSTERMANN GMBH?33NIEDERLASSUNG SUED",
    ]
    (result,) = parse_bytes(_file([*HEAD, *lines, *TAIL], None), "s.sta", ParseSettings())
    (tx,) = result.transactions
    assert tx.reference.split(" | ")[0] == "RECHNUNG 4711 TEIL 2 VOM 01.11.2026 KUNDENNR. 10023"
    assert tx.raw["end_to_end_ref"] == "RE-2026-0417"
    assert tx.payer_name == "MUSTERMANN GMBH NIEDERLASSUNG SUED"
    # Sparkassen and BayernLB fill every subfield: a full one ends anywhere, in a word too
    lines = [
        ":86:166?00GUTSCHRIFT?20SVWZ+RECHNUNGEN 4711 UND 47",
        "?2112 GELIEFERTE WAREN ABRECHN?22UNG NOVEMBER",
    ]
    assert _entry(lines) == "RECHNUNGEN 4711 UND 4712 GELIEFERTE WAREN ABRECHNUNG NOVEMBER"
    # digits in digits (an IBAN cut short: jejik-mt940's Volksbank "IBAN: DE" + "4250..."),
    # letters in small letters or digits; a capital after a full subfield's capital goes on an
    # abbreviation (WoLpH/mt940's betterplace "BC-PPP TF" + "Nr 22 004")
    lines = [
        ":86:166?00GUTSCHRIFT?20SVWZ+Musical, Martin Hellwig,",
        "?21plus CD IBAN: DE?2242500105171213694382 BIC: ",
        "?23SOLSDE33 Verw CTSc-01 BC-PPP TF?24Nr 22 004 Handels?25gesellschaft",
    ]
    assert _entry(lines) == (
        "Musical, Martin Hellwig,plus CD IBAN: DE42500105171213694382 BIC: SOLSDE33 Verw "
        "CTSc-01 BC-PPP TFNr 22 004 Handelsgesellschaft"
    )


def test_real_subfields_ended_short_keep_their_words_apart() -> None:
    """WoLpH/mt940's betterplace file (PayPal's ``?20QQW53T2245ZGY46J ABBUCH`` + ``UNG``
    ``?21VOM PAYPAL-KONTO``, Wirecard's full ``?21Erstellungsdatum:19.03.2010?22Anzahl``),
    jejik-mt940's BayernLB (``?20ANZ. SEPA COR 0000001?21REF. SEPA-...``) and BRD's
    ``+``-separated subfields (``FACT 88`` + ``CONTRACT``)."""
    paypal, _, wirecard, _ = read_sample(
        "mt940_wolph_betterplace_binary_character.sta"
    ).transactions
    assert paypal.reference.startswith("QQW53T2245ZGY46J ABBUCHUNG VOM PAYPAL-KONTO")
    assert "Erstellungsdatum:19.03.2010 Anzahl Posten" in wirecard.reference
    (bayern,) = read_sample("mt940_jejik_bayernlb.sta").transactions
    assert bayern.reference.startswith("ANZ. SEPA COR 0000001 REF. SEPA-20210217210008-40133200")
    brd = [tx.reference for tx in read_sample("mt940_plus_separated_subfields.sta").transactions]
    assert "Incasare INCASARE FACT 88 CONTRACT 5/2024" in brd
