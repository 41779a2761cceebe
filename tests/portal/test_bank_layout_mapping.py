"""The column-mapping page on an export of a bank Concord does not know (杭州银行-style CSV in
GB18030: a title line, the header on row 2 with names the parser has no word for, then entries):
sensible defaults, reasons naming row and column, a preview, saving, reuse and correction."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import BankFile, BankFileStatus, BankLayout, BankTransaction, MatchStatus
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import import_bank_file, login

OUR = "3301040160001234567"
HEADER = "记账日,摘要,入账,出账,余额,对方户名,对方账号,流水号"


def hzb_export(title: str, *entries: str) -> bytes:
    """A 杭州银行-style download: one title cell, the header on row 2, then the entries."""
    return "\r\n".join([title, HEADER, *entries, ""]).encode("gb18030")


FIRST = hzb_export(
    "杭州银行对公账户交易明细（2026-12-01至2026-12-05）",
    '2026-12-01,INV-2026-0110 货款,"5,001.00",,"105,001.00",杭州远景1号贸易有限公司,'
    "33050161234500001,HZB2026120100001",
    '2026-12-02,运费,,"1,100.00","103,901.00",北京顺达物流有限公司,11001234567890,HZB2026120200002',
    '2026-12-05,INV-2026-0121,"40,000.00",,"143,901.00",广州恒信电子有限公司,44001234567891,'
    "HZB2026120500003",
)
LATER = hzb_export(
    "杭州银行对公账户交易明细（2026-12-06至2026-12-07）",
    '2026-12-07,INV-2026-0122 货款,"2,345.00",,"146,246.00",成都金诚机械有限公司,'
    "51001234567892,HZB2026120700004",
)
#: what the page offers for FIRST when nothing is changed, with the in/out columns picked
RIGHT = {
    "name": "杭州银行",
    "our_account": OUR,
    "first_row": "3",
    "date_order": "auto",
    "sign": "auto",
    "currency": "CNY",
    "booking_date": "0",
    "description": "1",
    "credit": "2",
    "debit": "3",
    "balance": "4",
    "counterparty_name": "5",
    "counterparty_account": "6",
    "bank_ref": "7",
}


def _failed_file(session: Session, client: FlaskClient, language: str = "en") -> BankFile:
    user = make_user(session, "finance", email="mapper@example.com")
    user.language = language
    login(client, user)
    assert import_bank_file(session, "hzb.csv", FIRST) == []
    bank_file = session.scalar(select(BankFile).where(BankFile.original_name == "hzb.csv"))
    assert bank_file is not None and bank_file.status is BankFileStatus.FAILED
    return bank_file


def _select(page: str, name: str) -> tuple[str | None, list[str]]:
    """The selected value of select ``name`` and its option labels."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    options = re.findall(r"<option([^>]*)>(.*?)</option>", found.group(1), re.S)
    selected = next(
        (
            re.search(r'value="([^"]*)"', attrs).group(1)
            for attrs, _ in options
            if "selected" in attrs
        ),  # type: ignore[union-attr]
        None,
    )
    return selected, [html.unescape(label) for _, label in options]


def _first_row(page: str) -> str:
    found = re.search(r'<input[^>]*name="first_row"[^>]*>', page)
    assert found
    value = re.search(r'value="([^"]*)"', found.group(0))
    assert value
    return value.group(1)


def test_defaults_come_from_the_header_row(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client)
    page = client.get(f"/banking/files/{bank_file.id}/layout").get_data(as_text=True)
    # the header is row 2: the first entry is row 3, not row 1
    assert _first_row(page) == "3"
    selected, labels = _select(page, "booking_date")
    assert selected == "0"
    # columns are named by their header cell, with an example from the first entry
    assert labels[1:4] == ["记账日 (2026-12-01)", "摘要 (INV-2026-0110 货款)", "入账 (5,001.00)"]
    # known header words pick their columns; 入账/出账 are no words the parser knows
    assert _select(page, "description")[0] == "1"
    assert _select(page, "balance")[0] == "4"
    assert _select(page, "counterparty_name")[0] == "5"
    assert _select(page, "counterparty_account")[0] == "6"
    assert _select(page, "bank_ref")[0] == "7"
    assert _select(page, "credit")[0] == ""
    # the preview numbers the file's rows as the first-row field counts them
    assert re.search(r'<td class="num">2</td>\s*<td>记账日</td>', page)


def test_a_failed_mapping_names_the_row_and_column(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client)
    page = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "first_row": "1"}
    ).get_data(as_text=True)
    assert (
        "row 1, column “记账日”: &#39;杭州银行对公账户交易明细（2026-12-01至2026-12-05）&#39; "
        "is not a date" in page
    )
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.FAILED
    assert session.scalar(select(BankLayout)) is None
    # a date column that holds text
    page = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "booking_date": "1"}
    ).get_data(as_text=True)
    assert "row 3, column “摘要”: &#39;INV-2026-0110 货款&#39; is not a date" in page
    # an amount column that holds names
    page = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "credit": "5"}
    ).get_data(as_text=True)
    assert "row 3, column “对方户名”: &#39;杭州远景1号贸易有限公司&#39; is not an amount" in page


def test_the_reason_is_in_the_readers_language(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client, "zh")
    page = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "booking_date": "1"}
    ).get_data(as_text=True)
    assert "第 3 行，“摘要”列：&#39;INV-2026-0110 货款&#39; 不是日期" in page
    assert "按此映射读取的前几行" in page


def test_check_shows_how_rows_read_without_saving(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client)
    page = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "check": "1"}
    ).get_data(as_text=True)
    preview = page[page.index('id="mapping-preview"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", preview[: preview.index("</table>")], re.S)
    cells = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]
    assert [c[:2] for c in cells if c] == [
        ["3", "Dec 1, 2026"],
        ["4", "Dec 2, 2026"],
        ["5", "Dec 5, 2026"],
    ]
    # row, date, direction, amount, other party, balance, reference
    assert cells[1][2:5] == ["Money in", "CN¥5,001.00", "杭州远景1号贸易有限公司"]
    assert cells[2][2:5] == ["Money out", "CN¥1,100.00", "北京顺达物流有限公司"]
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.FAILED  # nothing saved, nothing imported
    assert session.scalar(select(BankLayout)) is None


def test_saved_mapping_reads_matches_and_serves_the_next_file(
    session: Session, client: FlaskClient
) -> None:
    customer = make_customer(session, code="C00301", name="杭州远景1号贸易有限公司")
    make_invoice(session, customer, number="INV-2026-0110", amount="5001.00")
    bank_file = _failed_file(session, client)
    saved = client.post(f"/banking/files/{bank_file.id}/layout", data=RIGHT)
    assert saved.status_code == 302
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.DONE
    rows = session.scalars(
        select(BankTransaction).where(BankTransaction.file_id == bank_file.id)
    ).all()
    assert sorted((t.direction.value, t.amount, t.our_account) for t in rows) == [
        ("credit", Decimal("5001.00"), OUR),
        ("credit", Decimal("40000.00"), OUR),
        ("debit", Decimal("1100.00"), OUR),
    ]
    paid = next(t for t in rows if t.amount == Decimal("5001.00"))
    assert paid.match_status is MatchStatus.MATCHED
    # saved by the header's names: a later download with another title line reads by itself
    layout = session.scalar(select(BankLayout))
    assert layout is not None and layout.definition["columns"]["credit"] == "入账"
    later = import_bank_file(session, "hzb-later.csv", LATER)
    assert [(t.amount, t.payer_name, t.direction.value) for t in later] == [
        (Decimal("2345.00"), "成都金诚机械有限公司", "credit")
    ]


def test_a_wrong_mapping_is_corrected(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client)
    wrong = client.post(
        f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "booking_date": "1"}
    ).get_data(as_text=True)
    # refused with its reason; the picks stay as sent, to correct the one column
    assert "is not a date" in wrong
    assert _select(wrong, "booking_date")[0] == "1" and _select(wrong, "credit")[0] == "2"
    assert client.post(f"/banking/files/{bank_file.id}/layout", data=RIGHT).status_code == 302
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.DONE
    # the bank renames its money columns: the saved names no longer fit, the page is offered
    # again, and the mapping saved under the same name replaces the old one
    renamed = (
        "杭州银行对公账户交易明细\r\n"
        "记账日,摘要,来账金额,往账金额,余额,对方户名,对方账号,流水号\r\n"
        '2026-12-08,INV-2026-0123,"700.00",,"146,946.00",成都金诚机械有限公司,51001234567892,'
        "HZB2026120800005\r\n"
    ).encode("gb18030")
    assert import_bank_file(session, "hzb-renamed.csv", renamed) == []
    second = session.scalar(select(BankFile).where(BankFile.original_name == "hzb-renamed.csv"))
    assert second is not None and second.status is BankFileStatus.FAILED
    page = client.get(f"/banking/files/{second.id}/layout").get_data(as_text=True)
    assert _first_row(page) == "3"
    assert client.post(f"/banking/files/{second.id}/layout", data=RIGHT).status_code == 302
    (layout,) = session.scalars(select(BankLayout)).all()
    assert layout.definition["columns"]["credit"] == "来账金额"
    session.refresh(second)
    assert second.status is BankFileStatus.DONE


def test_an_imported_file_is_not_imported_again(session: Session, client: FlaskClient) -> None:
    bank_file = _failed_file(session, client)
    assert client.post(f"/banking/files/{bank_file.id}/layout", data=RIGHT).status_code == 302
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.DONE
    again = client.post(f"/banking/files/{bank_file.id}/layout", data={**RIGHT, "name": "another"})
    assert again.status_code == 302
    session.refresh(bank_file)
    rows = session.scalars(
        select(BankTransaction).where(BankTransaction.file_id == bank_file.id)
    ).all()
    assert len(rows) == 3
    assert session.scalars(select(BankLayout.name)).all() == ["杭州银行"]


def test_check_warns_when_the_balance_does_not_follow(
    session: Session, client: FlaskClient
) -> None:
    bank_file = _failed_file(session, client)
    # 入账 and 出账 swapped, with the sign pinned: the entries read, the balance says they are wrong
    swapped = {**RIGHT, "credit": "3", "debit": "2", "sign": "normal", "check": "1"}
    page = client.post(f"/banking/files/{bank_file.id}/layout", data=swapped).get_data(as_text=True)
    warned = page[page.index('id="mapping-check"') : page.index('id="mapping-preview"')]
    assert "row 4: the running balance does not add up at this row" in html.unescape(warned)


def test_rows_far_below_a_long_preamble_are_previewed(
    session: Session, client: FlaskClient
) -> None:
    login(client, make_user(session, "finance", email="notes@example.com"))
    # twenty lines of account facts and notes as label, value (the file stays a table)
    notes = "\r\n".join(f"查询条件{n},本明细仅供参考" for n in range(1, 21))
    data = (notes + "\r\n").encode("gb18030") + FIRST.split(b"\r\n", 1)[1]
    assert import_bank_file(session, "notes.csv", data) == []
    bank_file = session.scalar(select(BankFile).where(BankFile.original_name == "notes.csv"))
    assert bank_file is not None
    page = client.get(f"/banking/files/{bank_file.id}/layout").get_data(as_text=True)
    assert _first_row(page) == "22"
    # the preview starts a little above the header, not with twenty lines of notes
    assert re.search(r'<td class="num">21</td>\s*<td>记账日</td>', page)
    assert re.search(r'<td class="num">22</td>\s*<td>2026-12-01</td>', page)
