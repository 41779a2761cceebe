"""Wrapped ``:86:`` lines joined the way their writers wrapped them.

SWIFT allows 65 characters per line of ``:86:``. ING (and PostFinance, Knab, ASN) cut the text
into 65-character pieces wherever the width runs out, inside words and references too; other
writers end a line where a word or column ends (Raiffeisen, mBank, ABN AMRO) or pad it with
spaces. A full 65-character line with no space on either side of the break is joined without
a gap, unless the field's other breaks show a writer that wraps at words (a line left short
because the next word would not fit); every other break is a space.

- ``mt940_libmt94x_ing_ibp.txt``: gingerpayments/python-libmt94x (MIT),
  ``ginger/libmt94x/tests/examples/ibp-ing-provided-example.txt``, the example ING provided
  for its Inside Business Payments export; the expected texts are the ``free_form_text`` values
  its ``test_writer_doc_ibp_unstructured.py`` writes that file from.
- ``mt940_jejik_raiffeisen_999.sta`` (named in ``test_bankfiles_mt940_more.py``): Raiffeisen
  counts the tag into its 65 and wraps at words.
"""

from __future__ import annotations

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings
from reconcile.parsers.mt940_details import counterparty_fields
from reconcile.parsers.mt940_text import join_wrapped_lines
from tests.reconcile.samples import read_sample


def _read(name: str) -> ParseResult:
    return read_sample(name)


def test_ing_cuts_its_free_text_every_65_characters_inside_words() -> None:
    txs = _read("mt940_libmt94x_ing_ibp.txt").transactions
    assert [tx.reference for tx in txs] == [
        "NL20INGB0002222222 INGBNL2A Creditor Name 01 E2ENA01014ULT24102013T1100xxxx1xxxx"
        " UstrNA01014ULT24102013T1100xxxx1xxx ULTCREDNM07 SECT01014 ULTDEBTNM04 SECT01014",
        "NL20INGB0002222222 INGBNL2A Creditor Name 11 E2ENA0101b4ULT24102013T1100xxxx1xxx"
        " 2062542165530231 ULTCREDNM08 SECT01014 ULTDEBTNM04 SECT01014",
        "NL12INGB0003333333 INGBNL2A Creditor Name 09 E2ENA01014c4ULT24102013T1100xxxx1xx"
        " RF35567890123456789012345 ULTCREDNM09 SECT01014 ULTDEBTNM04 SECT01014",
        "AC04 NL20INGB0002222222 INGBNL2A Creditor Name 01 E2ENA01014ULT24102013T1100xxxx1xxxx"
        " UstrNA01014ULT24102013T1100xxxx1xxx ULTCREDNM07 SECT01014 ULTDEBTNM04 SECT01014",
        "MS03 NL20INGB0002222222 INGBNL2A Creditor Name 11 E2ENA0101b4ULT24102013T1100xxxx1xxx"
        " 2062542165530231 ULTCREDNM08 SECT01014 ULTDEBTNM04 SECT01014",
    ]
    # a returned payment starts with its ISO 20022 reason code, then the usual IBAN and BIC
    assert [(tx.raw.get("return_reason"), tx.payer_account) for tx in txs[3:]] == [
        ("AC04", "NL20INGB0002222222"),
        ("MS03", "NL20INGB0002222222"),
    ]
    assert txs[0].payee_account == "NL20INGB0002222222"


def test_a_full_line_is_joined_inside_a_word_and_a_short_one_with_a_space() -> None:
    full = "X" * 57 + " SONNE"  # 63: not full
    assert join_wrapped_lines([full, "NGLAESER"]) == f"{full} NGLAESER"
    full = "X" * 59 + " SONNE"  # 65
    assert join_wrapped_lines([full, "NGLAESER"]) == "X" * 59 + " SONNENGLAESER"
    # a space kept at the cut, on either side of it, stays a space
    assert join_wrapped_lines(["Y" * 65, " FIETS"]) == "Y" * 65 + " FIETS"
    assert join_wrapped_lines(["Y" * 64 + " ", "FIETS"]) == "Y" * 64 + " FIETS"
    assert join_wrapped_lines([]) == ""


def test_the_unstructured_code_counts_towards_the_first_lines_width() -> None:
    first = "999" + "a" * 62  # 65 with the code
    assert counterparty_fields(f"{first}\nbc")["reference"] == "a" * 62 + "bc"


def test_statement_information_is_joined_like_entry_text() -> None:
    result = _read("mt940_jejik_raiffeisen_999.sta")
    (text,) = [t for info in result.statements for t in info.raw.get("information", [])]
    # Raiffeisen wraps at words (61 characters and the tag): a space at every break
    assert "gesetzlichen Einlagensicherung erstattungsfähig." in text
    assert "liegt in der Bank bereit und ist auf der Homepage" in text


# mBank's layout (``mt940_ksdev_mbank_iph_excerpt.txt``, ksdev-pl/mbank-mt940-parser): lines end
# at words, the space before the next word kept at the line's end. Written by a tool that trims
# line ends, a line that a word fills to exactly 65 characters looks like ING's cut lines.
MBANK_TRIMMED = [
    ":20:ST100604CYC/1",
    ":25:PL45114011370000310211001001",
    ":28C:107/1",
    ":60F:C100604PLN0,00",
    ":61:1006040604CN4091,88NTRFNONREF//EL004391-004433",
    "770-PRZELEW PRZYCHODZĄCY - ELIXIR",
    ":86:770 PRZELEW KRAJOWY; Z RACH.: 34103012890000000008440201; OD:",
    "WHIRLPOOL POLSKA  SPÓŁKA AKCYJNA UL.GEN.T.BORA-KOMOROWSKIEGO 6",
    "51-210 WROCŁAW; TYT.: FAKTURY 210F1160 I 210F1161 ; DATA STEMPLA:",
    "02.06.2010; TNR: 154961063737657.320001",
    ":62F:C100604PLN4091,88",
    "-",
]


def test_a_full_line_of_a_writer_that_wraps_at_words_ends_a_word() -> None:
    assert len(MBANK_TRIMMED[8]) == 65
    data = "\r\n".join(MBANK_TRIMMED).encode("cp1250")
    (result,) = parse_bytes(data, "mbank.sta", ParseSettings())
    (tx,) = result.transactions
    # "...BORA-KOMOROWSKIEGO 6" stops short because "51-210" would not fit: words, not widths
    assert "DATA STEMPLA: 02.06.2010; TNR: 154961063737657.320001" in tx.reference
    assert tx.payer_name == "WHIRLPOOL POLSKA SPÓŁKA AKCYJNA"
    # a writer that cuts at the width shows no such line: ING's cut word still goes on
    assert join_wrapped_lines(["X" * 59 + " SONNE", "NGLAESER", "ABC"]).endswith(
        "SONNENGLAESER ABC"
    )
    # nor does a short first line (ASN's party) or one before a label (Knab's "REK:")
    party = "NL08ABNA9999999999 international card services"
    text = "0" * 50 + " Betaling aan I"
    assert join_wrapped_lines([party, text, "CS 99999999999"]).endswith("aan ICS 99999999999")
    knab = ["61385002542767281000000000000000000 6676341986995664 TEST PURCHAS", "567890"]
    assert join_wrapped_lines([*knab, "REK: NL52RABO0326203011/NAAM: SOME NAME"]).startswith(
        "61385002542767281000000000000000000 6676341986995664 TEST PURCHAS567890 REK:"
    )


def test_a_space_at_the_end_of_a_cut_line_is_kept_when_only_the_account_is_padded() -> None:
    """zilverline/mt940's Van Lanschot file: its ``:25:`` is filled to 35 characters, its
    ``:86:`` lines are not, and the space at a cut (``... 01-01-2014  3 `` / ``MND``) is the
    text's own."""
    txs = read_sample("mt940_zilverline_van_lanschot.txt").transactions
    assert "01-01-2014 3 MND 8888888888 Servicecontract" in txs[-1].reference
