"""Wrapped ``:86:`` lines joined the way their writers wrapped them.

SWIFT allows 65 characters per line of ``:86:``. ING (and PostFinance, Knab, ASN) cut the text
into 65-character pieces wherever the width runs out, inside words and references too; other
writers end a line where a word or column ends (Raiffeisen, mBank, ABN AMRO) or pad it with
spaces. A full 65-character line with a letter or digit on both sides of the break is joined
without a gap, every other break is a space.

- ``mt940_libmt94x_ing_ibp.txt``: gingerpayments/python-libmt94x (MIT),
  ``ginger/libmt94x/tests/examples/ibp-ing-provided-example.txt``, the example ING provided
  for its Inside Business Payments export; the expected texts are the ``free_form_text`` values
  its ``test_writer_doc_ibp_unstructured.py`` writes that file from.
- ``mt940_jejik_raiffeisen_999.sta`` (named in ``test_bankfiles_mt940_more.py``): Raiffeisen
  counts the tag into its 65 and wraps at words.
"""

from __future__ import annotations

from reconcile.api import ParseResult
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
