"""docs/security.md shows the permission table as the code has it."""

from __future__ import annotations

from pathlib import Path

from portal.permissions import markdown_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_documented_table_is_the_code_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- permissions:start -->\n", "\n<!-- permissions:end -->"
    documented = text.split(start, 1)[1].split(end, 1)[0]
    assert documented == markdown_table(), (
        "docs/security.md is out of date: paste the output of "
        "python -c 'from portal.permissions import markdown_table; print(markdown_table())' "
        "between the permissions markers"
    )
