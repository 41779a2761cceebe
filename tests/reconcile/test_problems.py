"""Parse problems are coded, yet read exactly as the English the CLI has always printed."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.problems import PROBLEMS, Problem, describe, problem, source_place

DATA = Path(__file__).resolve().parent / "data"


def test_a_problem_is_its_english_sentence_with_its_code_and_place() -> None:
    p = Problem("amount_not_number", {"value": "1,2x"}, "st.xml", problem("at_entry", entry="1.2"))
    assert p == "st.xml, entry 1.2: amount '1,2x' is not a number"
    assert (p.code, p.params, p.sentence) == (
        "amount_not_number",
        {"value": "1,2x"},
        "amount '1,2x' is not a number",
    )
    assert describe(p) == {
        "text": "st.xml, entry 1.2: amount '1,2x' is not a number",
        "code": "amount_not_number",
        "params": {"value": "1,2x"},
        "file": "st.xml",
        "location": {"text": "entry 1.2", "code": "at_entry", "params": {"entry": "1.2"}},
    }
    # a PDF is parsed in a child process: the problem crosses the pipe with its code
    again = pickle.loads(pickle.dumps(p))  # noqa: S301 (our own bytes)
    assert (again, again.code, again.file, describe(again)) == (p, p.code, p.file, describe(p))
    assert describe("plain") == {"text": "plain"} and describe(None) is None


def test_unknown_codes_and_wrong_parameters_fail_when_made() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        problem("no_such_code")
    with pytest.raises(ValueError, match="takes"):
        problem("amount_not_number", amount="1")


def test_a_parse_error_keeps_the_problem_and_the_english_message() -> None:
    exc = ParseError(problem("no_date"), file="a.csv", location=problem("at_row", row=3))
    assert str(exc) == "a.csv, row 3: no date" == exc.text
    assert isinstance(exc.text, Problem) and exc.text.code == "no_date"
    assert exc.reason == "no date" and isinstance(exc.reason, Problem)
    assert ParseError("plain", file="a.csv").text == "a.csv: plain"


def test_every_error_and_warning_of_the_test_files_is_coded() -> None:
    seen = 0
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        for result in parse_bytes(path.read_bytes(), path.name):
            found = [result.error, *result.warnings]
            found += [w for tx in result.transactions for w in tx.warnings]
            for value in filter(None, found):
                seen += 1
                assert isinstance(value, Problem) and value.code in PROBLEMS, (path, value)
    assert seen > 20


@pytest.mark.parametrize(
    ("source", "place", "code"),
    [
        ("export.csv#row=3", "row 3", "at_row"),
        ("hsbc.pdf#page=2/1", "page 2, receipt 1", "at_receipt"),  # the first receipt on page 2
        ("icbc.pdf#page=2/row=5", "page 2, row 5", "at_page_row"),
        ("x.sta#statement=1/entry=2", "statement 1, entry 2", "at_statement_entry"),
        ("x.xml#entry=1.2.1", "entry 1.2.1", "at_entry"),
        ("x.bai2#line=40", "line 40", "at_line"),
        ("x.ofx#transaction=1.3", "transaction 1.3", "at_transaction"),
        ("odd#sheet=Q3", "sheet=Q3", None),  # a kind no reader writes: said as written
        ("no-place", "", None),
    ],
)
def test_a_transactions_source_names_its_place_coded(
    source: str, place: str, code: str | None
) -> None:
    found = source_place(source)
    assert str(found) == place
    assert getattr(found, "code", None) == code
