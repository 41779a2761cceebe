"""The catalogue as pybabel extracts it with the project's babel.cfg: every message has Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "portal" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"


@pytest.mark.slow  # pybabel reads every module and template of the portal (about 1 s of CPU)
def test_every_extracted_message_has_a_chinese_translation(tmp_path: Path):
    pot = tmp_path / "messages.pot"
    # the command of babel.cfg's header, run as a user runs it
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT / "portal"),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        template = read_po(fh)
    with PO.open("rb") as fh:
        zh = read_po(fh, locale="zh")
    assert len(template) > 500
    missing = []
    for message in template:
        if not message.id:
            continue
        found = zh.get(message.id, message.context)
        strings = found.string if found is not None else None
        if isinstance(strings, tuple):
            translated = all(strings)
        else:
            translated = bool(strings)
        if found is None or found.fuzzy or not translated:
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            missing.append(f"{message.id!r} ({where})")
    assert not missing, f"{len(missing)} message(s) without Chinese:\n" + "\n".join(missing)


def test_applying_and_writing_off_read_differently_in_chinese() -> None:
    """核销 is applying money to invoices (收款核销); a write-off (the bank charge or small
    difference we waive) must not be called so too, or a clerk types the applied amount into the
    write-off column."""
    with PO.open("rb") as fh:
        catalogue = read_po(fh)
    apply = catalogue.get("Apply")
    write_off = catalogue.get("Write-off")
    assert apply is not None and write_off is not None
    assert "核销" in apply.string and "核销" not in write_off.string
    for message in catalogue:
        text = message.id if isinstance(message.id, str) else message.id[0]
        # (a message that speaks of applied payments too may say 核销 for those)
        if re.search(r"\bwrit(?:e|ten|ing)[- ]offs?\b", text, re.I) and not re.search(
            r"payments|appl", text, re.I
        ):
            assert "核销" not in str(message.string), (text, message.string)
