"""The catalogue as pybabel extracts it with the project's babel.cfg: every message has Chinese."""

from __future__ import annotations

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
