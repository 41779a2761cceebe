"""Match reasons: coded by the engine, rendered in the reader's language by the portal."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.banking.reasons import REASONS, criterion_label, match_reason
from reconcile.matching import CustomerRecord, MatchDecision, Reason, match_transactions
from reconcile.matching.messages import MESSAGES, Message, fields
from tests.reconcile.test_matching_cases import CUSTOMERS, INVOICES, inv, tx

_PARAM = re.compile(r"%\((\w+)\)s")
_ASCII_WORD = re.compile(r"\b(?!INV\b|PO\b|CNY\b|USD\b)[a-z]{3,}\b")


def test_every_engine_code_has_a_sentence_with_the_same_parameters():
    assert set(MESSAGES) <= set(REASONS)
    for code, template in MESSAGES.items():
        assert set(_PARAM.findall(str(REASONS[code]))) == set(fields(template)), code


def test_a_message_refuses_an_unknown_code_or_wrong_parameters():
    with pytest.raises(ValueError, match="unknown reason code"):
        Message.of("no_such_code")
    with pytest.raises(ValueError, match="takes"):
        Message.of("already_paid", number="INV-1")


def _decisions():  # type: ignore[no-untyped-def]
    """Decisions that between them use most codes: reference, PO, payer, amount, decision."""
    invoices = [*INVOICES, inv("INV-2026-00200", "C00017", "1200.00")]
    txs = [
        tx("5000.00", "INV-2026-00123", name="上海华美贸易有限公司"),
        tx("5000.00", "PO-88123"),
        tx("800.00", "INV-2026-00125", account="6222 0202 0011 2233 445"),
        tx("1200.00", "", name="上海华美贸易有限公司"),
        tx("6000.00", "INV-2026-00123"),
        tx("99.00", "", direction="debit"),
        tx("2500.00", "INV-2026-00150"),
        tx("4200.00", "nothing here"),
    ]
    return match_transactions(txs, CUSTOMERS, invoices)


def _stored(decisions: list[MatchDecision]) -> list[dict[str, Any]]:
    """The reasons the portal stores for ``decisions``: the decisions' and their suggestions'."""
    out = []
    for d in decisions:
        stored = d.to_json(structured=True)
        out += stored["reasons"] + [r for s in stored["suggestions"] for r in s["reasons"]]
    return out


def test_engine_reasons_render_in_chinese_without_english_words(app: Flask):
    decisions = _decisions()
    stored = _stored(decisions)
    assert len({p["code"] for r in stored for p in r.get("parts", [])}) >= 8
    with app.test_request_context(), force_locale("zh"):
        for reason in stored:
            assert reason.get("parts"), reason  # every engine reason is coded
            text = match_reason(reason)
            assert text != reason["text"]
            assert not _ASCII_WORD.search(text.replace("oldest_first", "")), text
    with app.test_request_context(), force_locale("en"):
        for reason in stored:
            # the English rendering is the engine's own sentence, word for word
            assert match_reason(reason) == reason["text"]


def test_the_cli_shape_stays_without_parts():
    for d in _decisions():
        for r in d.to_json()["reasons"]:
            assert set(r) == {"criterion", "score", "text"}


def test_old_stored_reasons_and_unknown_codes_show_their_text(app: Flask):
    old = {"criterion": "amount", "score": 1.0, "text": "amount equals the open amount"}
    unknown = {**old, "parts": [{"code": "from_a_future_engine", "params": {}}]}
    bad_params = {**old, "parts": [{"code": "already_paid", "params": {"x": "1"}}]}
    with app.test_request_context(), force_locale("zh"):
        assert match_reason(old) == "amount equals the open amount"
        assert match_reason(unknown) == "amount equals the open amount"
        assert match_reason(bad_params) == "amount equals the open amount"
        assert criterion_label("amount") == "金额"
        assert criterion_label("something_new") == "something_new"


def test_several_findings_are_joined_in_the_readers_language(app: Flask):
    reason = Reason.of(
        "invoice_reference",
        0.9,
        Message.of("ref_contains", invoice="INV-1"),
        Message.of("and_more", count=2),
    ).to_json(structured=True)
    assert reason["text"] == "reference contains INV-1; and 2 more"
    with app.test_request_context(), force_locale("zh"):
        assert match_reason(reason) == "附言包含 INV-1；另有 2 项"
    assert Decimal(str(reason["score"])) == Decimal("0.9")


def test_on_behalf_short_name_reasons_render_in_chinese(app: Flask):
    """The reasons of a payment on behalf of a short name: resolved, shared, unknown."""
    from tests.reconcile.test_matching_behalf_short import CUSTOMERS as BEHALF
    from tests.reconcile.test_matching_behalf_short import OWED

    txs = [
        tx("8000.00", "代华联付款", name="王伟"),
        tx("8000.00", "代金海付款", name="王伟"),
        tx("8000.00", "代宏达付款", name="上海华美贸易有限公司"),
    ]
    stored = _stored(match_transactions(txs, BEHALF, OWED))
    codes = {p["code"] for r in stored for p in r.get("parts", [])}
    assert {
        "payer_on_behalf_short",
        "payer_on_behalf_maybe",
        "payer_on_behalf_unsure",
        "payer_on_behalf_unknown",
    } <= codes
    with app.test_request_context(), force_locale("zh"):
        texts = [match_reason(r) for r in stored]
        assert "附言写明代 华联 付款，即 上海华联贸易有限公司（C00301）的简称" in texts
        assert any("可能是 C00401, C00402 中的任一客户" in t for t in texts)
        assert any("没有客户叫这个名字" in t for t in texts)
        for text in texts:
            assert not _ASCII_WORD.search(text), text


def test_the_doubts_of_several_customers_render_in_chinese(app: Flask):
    """Two customers named in a text paying on behalf of them, and a short number that fits
    invoices of two customers: the portal says so in the reader's language."""
    customers = [
        *CUSTOMERS,
        CustomerRecord("C00030", "华联贸易有限公司", (), (), "CNY"),
        CustomerRecord("C00031", "美达商行", (), (), "CNY"),
    ]
    invoices = [
        *INVOICES,
        inv("INV-2026-00301", "C00030", "5000.00"),
        inv("INV-2026-00302", "C00031", "2100.00"),
        inv("INV-2025-00124", "C00019", "900.00"),
    ]
    txs = [
        tx("7100.00", "代华联贸易有限公司及美达商行付款", name="张伟"),
        tx("1200.00", "发票号124", name="李娜"),
    ]
    stored = _stored(match_transactions(txs, customers, invoices))
    codes = {p["code"] for r in stored for p in r.get("parts", [])}
    assert {"payer_on_behalf_several", "all_open", "ref_ambiguous_customers"} <= codes
    with app.test_request_context(), force_locale("zh"):
        texts = [match_reason(r) for r in stored]
    assert any("需人工决定付的是谁的发票" in t and "美达商行 (C00031)" in t for t in texts)
    assert any("未核销" in t for t in texts)
    assert any("2 个客户的未结发票" in t for t in texts)
    for text in texts:
        assert not _ASCII_WORD.search(text), text


def test_credits_that_are_no_customer_payment_say_what_they_are_in_chinese(app: Flask):
    """Interest and a refund, told by the bank's code or by its text: the category and how it
    was told are words in the reader's language, not the engine's codes."""
    by_code, by_text = tx("12.34", "", name="本行"), tx("56.00", "结息 2026年第四季度")
    by_code.category = "refund"
    decisions = match_transactions([by_code, by_text], CUSTOMERS, INVOICES)
    stored = [r for d in decisions for r in d.to_json(structured=True)["reasons"]]
    assert {p["code"] for r in stored for p in r["parts"]} == {"not_customer_payment"}
    with app.test_request_context(), force_locale("zh"):
        texts = [match_reason(r) for r in stored]
    assert "不是客户付款：退款（依据银行交易代码）" in texts
    assert "不是客户付款：利息（依据银行摘要）" in texts
    with app.test_request_context(), force_locale("en"):
        english = {match_reason(r) for r in stored}
    assert "not a customer payment: a refund (by the bank's transaction code)" in english


def test_what_a_reference_number_is_renders_in_chinese(app: Flask):
    """A payment applied for its payer and amount whose reference writes another number: one
    typo away from the invoice paid, a letter for a digit, no invoice, another's invoice."""
    from tests.reconcile.test_matching_reference_numbers import CUSTOMERS_QH, INVOICES_QH

    txs = [
        tx("15200.00", "货款 QH-INV-2026-1017", name="苏州恒通机械设备有限公司"),
        tx("8350.50", "货款 QH-INV-2026-1OO3", name="上海华联五金有限公司"),
        tx("45600.00", "货款 QH-INV-2026-2044", name="上海华联五金有限公司"),
        tx("12800.00", "货款 QH-INV-2026-1008", name="上海华联五金有限公司"),
    ]
    stored = [
        r
        for r in _stored(match_transactions(txs, CUSTOMERS_QH, INVOICES_QH))
        if r["criterion"] == "reference_number"
    ]
    assert {p["code"] for r in stored for p in r["parts"]} == {
        "ref_differs_digit",
        "ref_differs_letter",
        "ref_names_no_invoice",
        "ref_names_other_customer",
    }
    with app.test_request_context(), force_locale("zh"):
        texts = [match_reason(r) for r in stored]
        assert criterion_label("reference_number") == "附言中的编号"
    assert "附言中的 QH-INV-2026-1017 与 QH-INV-2026-1007 相差一位数字" in texts
    assert "附言写的是 QH-INV-2026-2044，这不是 QH001 的未结发票" in texts
    assert "附言写的是 QH-INV-2026-1008，这是 QH004 的未结发票，不是 QH001 的" in texts
    for text in texts:
        assert not _ASCII_WORD.search(text), text
