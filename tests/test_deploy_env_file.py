"""The env file that docs/deploy.md shows loads in a shell as written (``set -a; . FILE``).

A value with spaces, ``<>`` or ``;`` left unquoted makes the shell run part of it as a command
and leaves the setting unset, so a server started from a copy of the example would sign its
statements with the demo business's name.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _example(markdown: str, first_line: str) -> str:
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"no sh block starting with {first_line!r}")


def _loaded(script: str, tmp_path: Path) -> dict[str, str]:
    env_file = tmp_path / "concord.env"
    env_file.write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["sh", "-c", f'set -a; . "{env_file}"; env -0'],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=True,
    )
    assert done.stderr == b"", done.stderr.decode()
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item)
    return dict(pairs)


def test_the_deploy_guide_env_file_loads_in_a_shell(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    env = _loaded(_example(text, "# /etc/concord/concord.env"), tmp_path)
    assert env["CONCORD_COMPANY_NAME"] == "Example Trading Co., Ltd. / 示例贸易有限公司"
    assert env["CONCORD_COMPANY_ADDRESS"] == "1 Example Road, Shanghai"
    assert env["CONCORD_MAIL_FROM"] == "Accounts Receivable <ar@example.com>"
    assert env["CONCORD_OWN_ACCOUNTS"].split(";") == [
        "31050161373600000001",
        "1202020709900012345",
    ]
    assert env["CONCORD_ENV_NAME"] == "production"


def test_the_readme_production_settings_load_in_a_shell(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    env = _loaded(_example(text, "export CONCORD_ENV_NAME=production"), tmp_path)
    assert env["CONCORD_COMPANY_NAME"] == "Example Trading Co., Ltd. / 示例贸易有限公司"
    assert len(env["CONCORD_OWN_ACCOUNTS"].split(";")) == 2
