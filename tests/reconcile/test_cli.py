"""``python -m reconcile parse`` (and the ``match`` wiring) run as a real subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "MANIFEST.json").is_file(), reason=f"bank-file corpus not found at {CORPUS}"
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_corpus
def test_parse_json_every_file_parsed() -> None:
    done = run(
        "parse",
        "--json",
        CORPUS / "camt053" / "oca-bsi__test-camt053-txdtls.xml",
        CORPUS / "ofx" / "ofxparse__bank_medium.ofx",
        CORPUS / "bai2" / "moov-bai2__sample1.txt",
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert set(document) == {"transactions", "errors", "warnings"}
    assert document["errors"] == []
    # the only warning: the Canadian BAI2's RETURNED CHEQUE, a customer's payment taken back
    (returned,) = document["warnings"]
    assert returned["file"].endswith("moov-bai2__sample1.txt")
    unnamed = "line 5: 25.00 CAD returned (RETURNED CHEQUE), the bank names no party"
    assert unnamed in returned["warning"]
    txs = document["transactions"]
    assert len(txs) == 2 + 3 + 17
    first = txs[0]
    assert first["bank_ref"] == "123456CHCAFEBABE"
    assert first["amount"] == "2187.00"
    assert first["booking_date"] == "2017-03-22"
    assert first["direction"] == "credit"
    assert first["currency"] == "CHF"
    assert first["payer_name"] == "Banque Cantonale Vaudoise"
    assert first["reference"] == "302388292000011111111111111"
    assert first["source"].endswith("oca-bsi__test-camt053-txdtls.xml#entry=1.1.1")
    for tx in txs:
        # every field issue 3 names, spelt as it spells them
        assert set(tx) >= {"bank_ref", "booking_date", "value_date", "amount", "direction",
                           "currency", "payer_name", "payer_account", "payer_bank",
                           "payee_name", "payee_account", "reference", "our_account",
                           "source", "raw", "warnings"}  # fmt: skip
        assert tx["direction"] in ("credit", "debit") and not tx["amount"].startswith("-")
        assert isinstance(tx["raw"], dict) and isinstance(tx["warnings"], list)


@needs_corpus
def test_parse_exit_1_when_some_file_failed_but_others_still_printed() -> None:
    bad = CORPUS / "ofx" / "ofxparse__fail_nice_decimal_error.ofx"
    good = CORPUS / "ofx" / "ofxparse__suncorp.ofx"
    done = run("parse", "--json", bad, good)
    assert done.returncode == 1
    document = json.loads(done.stdout)
    assert len(document["transactions"]) == 1
    (error,) = document["errors"]
    assert error["file"] == str(bad)
    assert "'$120' is not a number" in error["error"]


@needs_corpus
def test_parse_table() -> None:
    done = run("parse", CORPUS / "ofx" / "ofxparse__suncorp.ofx", CORPUS / "camt053" / "x.xml")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["date", "dir", "amount", "ccy", "bank", "ref", "counterparty",
                                "reference", "source"]  # fmt: skip
    assert lines[1].startswith("2013-12-15  debit")
    assert "16.85  AUD" in lines[1]
    assert "1 transactions from 1 of 2 files" in done.stdout
    assert "ERROR" in done.stdout and "cannot read" in done.stdout


@needs_corpus
def test_parse_default_currency_option() -> None:
    gcamp6 = CORPUS / "camt053" / "ofxstatement-iso20022__gcamp6.xml"
    assert run("parse", "--json", gcamp6).returncode == 1
    done = run("parse", "--json", "--default-currency", "chf", gcamp6)
    assert done.returncode == 0
    assert {t["currency"] for t in json.loads(done.stdout)["transactions"]} == {"CHF"}


def test_parse_options_are_validated() -> None:
    done = run("parse", "--dayfirst", "--monthfirst", "x.csv")
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr


def test_match_subcommand_delegates_to_the_matching_cli() -> None:
    done = run("match", "--help")
    if importlib.util.find_spec("reconcile.matching.cli") is None:
        assert done.returncode == 2
        assert "module reconcile.matching.cli is missing" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert "usage: python -m reconcile match" in done.stdout


BROKEN_MT940 = (
    ":20:STMT1\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C240101EUR1000,00\n"
    ":61:2401020102C100,00NTRFREF1//B1\n:86:Payment A\n"
    ":61:2401030103CXX,00NTRFREF2//B2\n:86:Payment B\n:62F:C240102EUR1100,00\n"
)


def test_broken_mt940_entry_is_one_warning_line_without_the_library_log(tmp_path: Path) -> None:
    """The mt-940 library logs each pattern that failed at ERROR before raising; the CLI says
    once which entry it left out, and prints nothing of the library's."""
    path = tmp_path / "broken.sta"
    path.write_text(BROKEN_MT940)
    done = run("parse", path)
    assert done.returncode == 0
    assert "1 transactions from 1 of 1 files" in done.stdout
    assert done.stderr == (
        f"WARNING {path}, statement 1, entry 2: unreadable MT940 field :61: "
        "'2401030103CXX,00NTRFREF2//B2'; the entry is left out, the rest of the file is read\n"
    )
    path.write_text(BROKEN_MT940.replace(":61:2401020102C100,00NTRFREF1//B1\n:86:Payment A\n", ""))
    done = run("parse", path)
    assert done.returncode == 1
    assert f"ERROR {path}, statement 1, entry 1: unreadable MT940 field :61:" in done.stdout
    assert done.stderr == ""


def test_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    """``python -m reconcile parse --json many files | head`` ends without a traceback."""
    path = tmp_path / "many.csv"
    rows = "".join(f"2024-01-{d % 28 + 1:02d},Payment {d},{d}.00,EUR\n" for d in range(3000))
    path.write_text("Date,Description,Amount,Currency\n" + rows)
    with subprocess.Popen(
        [sys.executable, "-m", "reconcile", "parse", "--json", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().strip() == b"{"
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == 141
    assert b"Traceback" not in stderr


@pytest.mark.parametrize(
    "script", ["bench/parse_bench.py", "bench/match_bench.py", "bench/statements_bench.py"]
)
def test_benchmarks_run_as_the_issues_name_them(script: str, tmp_path: Path) -> None:
    """Issues 3, 4 and 5 name each benchmark by its path: it starts from any folder, with no
    ``PYTHONPATH`` (``python -m bench.parse_bench`` alone worked before)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, str(ROOT / script), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ")
