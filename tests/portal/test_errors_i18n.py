"""Errors the user reads come in the reader's language; a program asking nothing gets English."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, refresh

from portal.erp import parsing
from portal.i18n import select_locale
from portal.models import InvalidTransition
from portal.system_texts import system_text


def test_an_import_error_is_in_the_readers_language(app: Flask):
    with app.test_request_context("/erp/import", headers={"Accept-Language": "zh-CN"}):
        refresh()  # the fixture's app context outlives the request: forget its cached locale
        with pytest.raises(parsing.BadValue) as zh:
            parsing.amount({"amount": "12,5x"}, "amount", required=True)
        error = parsing.ErpImportError([parsing.RowError(3, str(zh.value))])
        reason = "amount 中的金额无效：'12,5x'（应为如 1234.56 的格式）"
        assert str(zh.value) == reason
        assert str(error.errors[0]) == f"第 3 行：{reason}"
        assert str(error) == "1 行有误；未导入任何数据"
    with app.test_request_context("/erp/import", headers={"Accept-Language": "en"}):
        refresh()
        with pytest.raises(parsing.BadValue, match=r"bad amount in amount: '12,5x' \(expected"):
            parsing.amount({"amount": "12,5x"}, "amount", required=True)


def test_the_api_speaks_english_unless_asked(app: Flask):
    with app.test_request_context("/api/v1/invoices"):
        assert select_locale() == "en"
    with app.test_request_context("/api/v1/invoices", headers={"Accept-Language": "zh-CN"}):
        assert select_locale() == "zh"
    with app.test_request_context("/invoices/"):
        assert select_locale() == "zh"  # the portal's own default
    with app.app_context():
        assert select_locale() is None  # a command or a job: the configured default


def test_reasons_concord_stored_read_in_chinese_and_typed_ones_stay(app: Flask):
    with app.test_request_context("/"), force_locale("zh"):
        assert system_text("bank charge") == "银行手续费"
        assert system_text("suggestion 2 accepted") == "已接受第 2 条建议"
        assert system_text("客户说已付") == "客户说已付"
        assert system_text("bank charge waived by Li") == "bank charge waived by Li"
        assert system_text(None) == ""
    with app.test_request_context("/"), force_locale("en"):
        assert system_text("suggestion 2 accepted") == "suggestion 2 accepted"


def test_an_unreadable_csv_is_refused_in_the_readers_language(app: Flask):
    with app.test_request_context("/erp/import", headers={"Accept-Language": "zh-CN"}):
        refresh()
        with pytest.raises(parsing.ErpImportError) as missing:
            parsing.read_csv(b"number,amount\nINV-1,10\n", ["number", "customer"])
        with pytest.raises(parsing.ErpImportError) as empty:
            parsing.read_csv(b"", ["number"])
        assert [str(e) for e in missing.value.errors] == ["第 1 行：缺少列：customer"]
        assert [str(e) for e in empty.value.errors] == ["第 1 行：文件为空（没有表头行）"]


def test_a_refused_status_change_reads_in_the_readers_language(app: Flask):
    refused = InvalidTransition("dispute", "accepted", "under_review")
    assert str(refused) == "dispute cannot go from 'accepted' to 'under_review'"  # the logs
    with app.test_request_context("/"), force_locale("zh"):
        assert refused.user_message() == (
            "该异议无法从“已接受”变为“审核中”：可能已被他人更改，或不允许此操作。"
        )
    with app.test_request_context("/"), force_locale("en"):
        assert refused.user_message() == (
            "The dispute cannot go from “Accepted” to “Under review”: it was changed meanwhile, "
            "or this step is not allowed."
        )


def test_a_background_jobs_error_reads_in_chinese_around_the_exception(app: Flask):
    with app.test_request_context("/"), force_locale("zh"):
        assert system_text("attempt 2 failed: ValueError: upside down") == (
            "第 2 次尝试失败：ValueError: upside down"
        )
        assert system_text("worker w-1 stopped during attempt 3 (no heartbeat for 90 s)") == (
            "工作进程 w-1 在第 3 次尝试中停止（90 秒无心跳）"
        )
        assert system_text(
            "worker ? stopped during attempt 1 (no heartbeat for 1.5 s); taken over"
        ) == ("工作进程 ? 在第 1 次尝试中停止（1.5 秒无心跳）；已由其他工作进程接手")
