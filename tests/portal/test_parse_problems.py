"""A bank file the engine cannot read is reported in the reader's language, naming the file and
the place in it; the English the engine wrote stays what the file and the audit trail keep."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.banking import layouts, service
from portal.banking.problems import PROBLEMS, problem_text
from portal.models import BankFile, BankFileStatus, BankTransaction, MatchStatus
from reconcile.problems import PROBLEMS as ENGINE_PROBLEMS
from reconcile.problems import Problem, fields, problem
from tests.factories import make_user
from tests.portal.finance_helpers import login

DATA = Path(__file__).resolve().parents[1] / "reconcile" / "data" / "bankfiles"
_PARAM = re.compile(r"%\((\w+)\)[sr]")

#: a BAI2 file whose only detail record (line 4) has an amount that is no number
BROKEN_BAI2 = (
    b"01,BANK,CUST,261104,0000,1,,,2/\n"
    b"02,CUST,BANK,1,261104,,USD,2/\n"
    b"03,123456,USD,010,100,,/\n"
    b"16,195,12x,Z,REF1,,PAYMENT/\n"
    b"49,100,3/\n"
    b"98,100,1,5/\n"
    b"99,100,1,7/\n"
)


def test_every_engine_problem_has_a_catalogue_entry_with_the_same_parameters() -> None:
    assert set(ENGINE_PROBLEMS) <= set(PROBLEMS)
    for code, template in ENGINE_PROBLEMS.items():
        assert set(_PARAM.findall(str(PROBLEMS[code]))) == set(fields(template)), code


def _read_in(client: FlaskClient, language: str) -> None:
    with client.session_transaction() as sess:
        sess["lang"] = language


def _upload(client: FlaskClient) -> tuple[str, dict[str, object]]:
    resp = client.post(
        "/banking/uploads",
        data={"files": [(io.BytesIO(BROKEN_BAI2), "nov.bai")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    job_id = int(re.search(r"job=(\d+)", resp.headers["Location"]).group(1))  # type: ignore[union-attr]
    status = client.get(f"/banking/jobs/{job_id}.json")
    page = client.get(resp.headers["Location"])
    (file,) = status.get_json()["files"]
    return page.get_data(as_text=True), file


def test_a_broken_bank_file_reads_in_chinese_and_names_its_file_and_line(
    session: Session, client: FlaskClient
) -> None:
    login(client, make_user(session, "finance"))
    _read_in(client, "zh")
    page, file = _upload(client)
    chinese = "nov.bai，第 4 行：金额 '12x' 不是以最小货币单位表示的整数"
    assert file["status"] == "failed"
    assert file["errors"] == [chinese]  # the progress the upload page polls
    # the job's files and the latest files' table
    assert page.count(str(escape(chinese))) == 2
    # in the table, the problem stands under its file's row across the whole width (a phone
    # shows it whole, not squeezed into the status column)
    row = re.search(
        r'<tr data-file-id="\d+" class="has-sub">(.*?)</tr>\s*<tr class="sub">(.*?)</tr>',
        page,
        re.S,
    )
    assert row is not None and "nov.bai" in row.group(1) and chinese not in row.group(1)
    assert 'colspan="5" class="error"' in row.group(2) and str(escape(chinese)) in row.group(2)
    assert "is not a whole number" not in page

    stored = session.scalar(select(BankFile).where(BankFile.original_name == "nov.bai"))
    assert stored is not None and stored.status is BankFileStatus.FAILED
    # the file and the audit trail keep the engine's English, as the CLI prints it
    english = "nov.bai, line 4: amount '12x' is not a whole number of minor units"
    assert stored.error == f"nov.bai: {english}"
    assert stored.problems is not None and stored.problems[0]["code"] == "bai2_bad_amount"

    _read_in(client, "en")
    assert str(escape(english)) in client.get("/banking/uploads").get_data(as_text=True)


def test_problems_render_with_their_place_and_terms_and_fall_back_to_the_stored_text(
    app: Flask,
) -> None:
    bai2 = problem("bai2_custom_code", type="921", direction="credit")
    warning = bai2.at(location=problem("at_line", line=11))
    receipt = Problem(
        "pdf_no_date", file="r.pdf", location=problem("at_receipt", page=2, receipt=1)
    )
    with app.test_request_context("/"), force_locale("zh"):
        assert problem_text(warning) == "第 11 行：银行自定义类型代码 921：方向（贷方）取自文字"
        assert problem_text(receipt) == "r.pdf，第 2 页第 1 张回单：回单上没有日期"
        assert problem_text(receipt.to_json()) == "r.pdf，第 2 页第 1 张回单：回单上没有日期"
        # stored before problems had codes, or from another engine version: shown as written
        assert problem_text("x.csv: row 3: something new") == "x.csv: row 3: something new"
        assert problem_text({"text": "old", "code": "no_such_code", "params": {}}) == "old"
        assert problem_text({"text": "old", "code": "pdf_bad_date", "params": {}}) == "old"
    with app.test_request_context("/"), force_locale("en"):
        english = "r.pdf, page 2, receipt 1: no date on the receipt"
        assert problem_text(receipt) == str(receipt) == english
        assert problem_text(warning) == str(warning)


def test_a_file_cut_short_is_told_in_the_readers_words_with_its_size_grouped(app: Flask) -> None:
    """The engine's own refusal of a PDF and a workbook cut short, with their sizes (the PDF
    library's English never reaches the reader)."""
    from reconcile.api import parse_bytes

    pdf = (DATA / "pdf_statement_chromium_zh.pdf").read_bytes()[:12345]
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 500)
    cut = workbook.getvalue()[:1234]
    (pdf_result,) = parse_bytes(pdf, "nov.pdf")
    (xlsx_result,) = parse_bytes(cut, "nov.xlsx")
    assert pdf_result.error is not None and xlsx_result.error is not None
    with app.test_request_context("/"), force_locale("zh"):
        assert problem_text(pdf_result.error) == (
            "nov.pdf：PDF 文件不完整（12,345 字节，缺少文件结尾）："
            "下载或上传时被中断；请从银行重新下载"
        )
        assert problem_text(xlsx_result.error).startswith(
            "nov.xlsx：XLSX 工作簿不完整（1,234 字节，缺少文件结尾）"
        )
    with app.test_request_context("/"), force_locale("en"):
        assert "an incomplete PDF (12,345 bytes, its end is missing)" in problem_text(
            pdf_result.error
        )


def test_what_a_file_lost_and_what_an_entry_was_read_with_read_in_chinese(
    session: Session, client: FlaskClient
) -> None:
    user = make_user(session, "finance")
    login(client, user)
    _read_in(client, "zh")
    bai2 = (DATA / "bai2_type_codes.bai").read_bytes()
    receipt = (DATA / "pdf_slash_labels_three_per_page.pdf").read_bytes()
    for name, data in (("codes.bai", bai2), ("receipts.pdf", receipt)):
        bank_file, _ = service.store_upload(session, name, data, user=user)
        service.start_import(session, [bank_file], user=user)
        assert bank_file.status is BankFileStatus.DONE, bank_file.error

    page = client.get("/banking/uploads").get_data(as_text=True)
    # entries the BAI2 file lost, each with its line, in Chinese; the file itself was read
    assert "codes.bai，第 10 行：类型代码 890（非金额信息）：已略过" in page
    assert "codes.bai，第 11 行：银行自定义类型代码 921：方向（贷方）取自文字" in page
    assert "non-monetary" not in page

    txn = session.scalars(
        select(BankTransaction).join(BankFile).where(BankFile.original_name == "receipts.pdf")
    ).first()
    assert txn is not None and txn.warnings and txn.warnings[0]["code"] == "pdf_neither_own_assumed"
    detail = client.get(f"/banking/transactions/{txn.id}").get_data(as_text=True)
    assert "付款人和收款人都不是我方账户或名称，回单也未注明；按贷方（收入）处理" in detail
    assert "assumed credit" not in detail
    # the entry's place in its file, in the reader's words (the raw source in the tooltip)
    page, receipt_no = txn.source.partition("#page=")[2].split("/")
    place = f"第 {page} 页第 {receipt_no} 张回单"
    assert f'title="{txn.source}">{place}</span>' in detail


def test_a_file_whose_columns_are_unknown_asks_for_a_mapping_in_chinese(
    session: Session, client: FlaskClient
) -> None:
    user = make_user(session, "finance")
    login(client, user)
    _read_in(client, "zh")
    odd = "07/11/2026;杭州远景1号贸易有限公司;INV-2026-0110;5001,00\n".encode()
    bank_file, _ = service.store_upload(session, "odd.csv", odd, user=user)
    service.start_import(session, [bank_file], user=user)
    assert bank_file.problems is not None
    assert [p["code"] for p in bank_file.problems] == ["unknown_layout_headerless"]
    assert layouts.needs_layout(bank_file)
    page = client.get("/banking/uploads").get_data(as_text=True)
    assert "odd.csv：无法识别的 CSV/XLSX 版式：文件没有表头行" in page
    assert f"/banking/files/{bank_file.id}/layout" in page

    # a file failed before problems were kept coded: its English still says so
    bank_file.problems = None
    assert layouts.needs_layout(bank_file)
    bank_file.problems = [{"text": "odd.csv: no date", "code": "no_date", "params": {}}]
    assert not layouts.needs_layout(bank_file)


def test_an_entry_the_file_cannot_read_is_left_out_and_the_corrected_file_adds_only_it(
    session: Session, client: FlaskClient
) -> None:
    """One broken row does not cost the file: the others are imported, the row is named in the
    reader's language, and uploading the corrected export later adds only that row."""
    user = make_user(session, "finance")
    login(client, user)
    _read_in(client, "zh")
    header = "交易日期,摘要,贷方金额,对方户名,币种\n"
    rows = [
        "2026-11-03,货款 INV-2026-0101,1200.00,杭州远景贸易有限公司,CNY\n",
        "2026-11-04,货款 INV-2026-0102,12x0.00,宁波海风电子有限公司,CNY\n",
        "2026-11-05,货款 INV-2026-0103,800.00,苏州青山机械有限公司,CNY\n",
    ]
    broken = (header + "".join(rows)).encode()
    bank_file, _ = service.store_upload(session, "nov.csv", broken, user=user)
    service.start_import(session, [bank_file], user=user)
    assert bank_file.status is BankFileStatus.DONE, bank_file.error

    def amounts() -> list[Decimal]:  # what was booked once: a second sighting is a duplicate
        rows = session.scalars(
            select(BankTransaction).where(BankTransaction.match_status != MatchStatus.DUPLICATE)
        )
        return sorted(t.amount for t in rows)

    assert [str(a) for a in amounts()] == ["800.00", "1200.00"]
    assert bank_file.problems is not None
    assert [p["code"] for p in bank_file.problems] == ["entry_left_out"]
    page = client.get("/banking/uploads").get_data(as_text=True)
    assert (
        str(escape("nov.csv，第 3 行：不是金额：'12x0.00'；该笔交易已略去，文件其余部分照常读取"))
        in page
    )

    fixed = broken.replace(b"12x0.00", b"1250.00")
    again, _ = service.store_upload(session, "nov-fixed.csv", fixed, user=user)
    service.start_import(session, [again], user=user)
    assert again.status is BankFileStatus.DONE, again.error
    assert [str(a) for a in amounts()] == ["800.00", "1200.00", "1250.00"]
    statuses = session.scalars(
        select(BankTransaction.match_status).where(BankTransaction.file_id == again.id)
    ).all()
    assert sorted(s.value for s in statuses).count("duplicate") == 2
