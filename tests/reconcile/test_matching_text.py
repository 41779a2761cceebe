"""Name normalisation, near-namesakes, reference extraction and the subset-sum search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.matching.names import NameIndex, name_key, similarity
from reconcile.matching.records import InvoiceRecord
from reconcile.matching.references import InvoiceIndex, extract_mentions, typo_variants
from reconcile.matching.subset import find_subsets


@pytest.mark.parametrize(
    "spelling",
    [
        "上海华美贸易有限公司",
        "上海华美贸易股份有限公司",
        "上海华美贸易有限责任公司",
        "上海 华美 贸易 有限公司",
        "上海华美贸易有限公司北京分公司",
        "上海华美贸易（有限公司）",
    ],
)
def test_chinese_spellings_share_one_key(spelling: str) -> None:
    assert name_key(spelling) == "上海华美贸易"


@pytest.mark.parametrize(
    "spelling",
    [
        "Shanghai Huamei Trading Co., Ltd.",
        "SHANGHAI HUAMEI TRADING CO LTD",
        "Shanghai Huamei Trading Co.,Ltd",
        "ＳＨＡＮＧＨＡＩ　ＨＵＡＭＥＩ　ＴＲＡＤＩＮＧ　ＣＯ．，ＬＴＤ．",
        "Shanghai Huamei Trading Limited, Beijing Branch",
    ],
)
def test_english_spellings_share_one_key(spelling: str) -> None:
    assert name_key(spelling) == "SHANGHAIHUAMEITRADING"


@pytest.mark.parametrize("form", ["GmbH", "LLC", "Inc.", "Corp.", "Ltd."])
def test_western_legal_forms_are_dropped(form: str) -> None:
    assert name_key(f"Acme Tools {form}") == "ACMETOOLS"


def test_near_namesakes_are_far_apart() -> None:
    base = "上海华美贸易有限公司"
    assert similarity(base, base) == 1.0
    assert similarity("上海华美电子科技有限公司", base) <= 0.5
    assert similarity("苏州华美贸易有限公司", base) <= 0.5
    # one mistyped character stays close, but not certain
    assert 0.8 <= similarity("上海华每贸易有限公司", base) < 1.0
    # the location written after the trade name is the same company
    assert similarity("华美贸易（上海）有限公司", base) == 1.0


def test_name_cut_at_35_characters_matches_the_full_name() -> None:
    full = "Guangzhou Everbright Precision Instruments Manufacturing Co., Ltd."
    cut = "GUANGZHOU EVERBRIGHT PRECISION INSTRUMENTS"[:35]
    assert similarity(cut, full) == 1.0


def test_name_index_finds_the_close_candidates_only() -> None:
    index = NameIndex()
    index.add("C1", "上海华美贸易有限公司")
    index.add("C2", "上海华美电子科技有限公司")
    index.add("C3", "苏州华美贸易有限公司")
    for n in range(200):
        index.add(f"X{n}", f"北京第{n}号机械有限公司")
    assert index.exact("上海华美贸易股份有限公司") == {"C1"}
    found = index.lookup("上海华每贸易有限公司", min_similarity=0.8)
    assert set(found) == {"C1"}


@pytest.mark.parametrize(
    ("text", "year", "seq"),
    [
        ("INV-2026-00123", 2026, 123),
        ("INV2026-00123", 2026, 123),
        ("inv 2026 123", 2026, 123),
        ("发票号INV-2026-00123", 2026, 123),
        ("支付INV-2026-00123货款", 2026, 123),
        ("INV202600123", 2026, 123),
        ("ＩＮＶ－２０２６－００１２３", 2026, 123),
        ("发票号：00123", None, 123),
        ("INV-123", None, 123),
    ],
)
def test_invoice_number_spellings(text: str, year: int | None, seq: int) -> None:
    first = extract_mentions(text)[0]
    assert (first.year, first.seq) == (year, seq)


def test_lists_of_numbers_share_prefix_and_year() -> None:
    mentions = extract_mentions("支付INV-2026-00123、00124和125货款")
    assert [(m.year, m.seq) for m in mentions] == [(2026, 123), (2026, 124), (2026, 125)]


def test_dates_are_not_invoice_numbers() -> None:
    assert extract_mentions("2026-11-03 货款 20261103") == []


def test_typo_variants_cover_swaps_and_one_wrong_digit() -> None:
    variants = dict(typo_variants("00132"))
    assert variants["00123"] == "two digits swapped"
    assert variants["00134"] == "one digit wrong"
    assert "00132" not in variants
    assert len(variants) == 5 * 9 + 3  # substitutions plus the three distinct swaps


def _invoice(number: str, po: str | None = None) -> InvoiceRecord:
    day = dt.date(2026, 9, 1)
    return InvoiceRecord(number, "C1", day, day, "CNY", Decimal(1), Decimal(1), po)


def test_invoice_index_lookups() -> None:
    index = InvoiceIndex([_invoice("INV-2026-00123", "PO-88123"), _invoice("INV-2025-00123")])
    assert [h.invoice.number for h in index.hits("inv 2026 123")] == ["INV-2026-00123"]
    # the sequence alone fits both years' invoices (the matcher then leaves the payment to a
    # person: test_matching_short_numbers)
    assert {h.invoice.number for h in index.hits("发票号123")} == {
        "INV-2026-00123",
        "INV-2025-00123",
    }
    assert [h.invoice.number for h in index.typo_hits("INV-2026-00213")] == ["INV-2026-00123"]
    assert [i.number for i, _ in index.po_hits("订单 PO 88123")] == ["INV-2026-00123"]


def test_subset_sum_finds_exact_combinations_with_required_items() -> None:
    result = find_subsets([100, 200, 300, 400, 500], 600, 600)
    assert {tuple(s) for s in result.solutions} == {(0, 4), (1, 3), (0, 1, 2)}
    result = find_subsets([100, 200, 300, 400, 500], 600, 600, required=[0])
    assert {tuple(s) for s in result.solutions} == {(0, 4), (0, 1, 2)}
    assert not find_subsets([100, 200], 250, 250).solutions


def test_subset_sum_respects_its_node_budget() -> None:
    # even amounts never add up to an odd total: only the budget stops the search
    amounts = [1000 + 2 * i for i in range(60)]
    result = find_subsets(amounts, 5101, 5101, node_budget=500)
    assert result.exhausted
    assert result.solutions == []


def test_chinese_name_cut_by_the_bank_matches_its_start() -> None:
    assert (
        similarity("深圳市华美电子科技股份有限公司东莞", "深圳市华美电子科技股份有限公司东莞分公司")
        == 1.0
    )
    assert similarity("上海华美贸易有限公", "上海华美电子科技有限公司") < 0.8


def test_ranges_of_invoice_numbers() -> None:
    mentions = extract_mentions("支付INV-2026-00123至00125货款")
    assert [(m.year, m.seq) for m in mentions] == [(2026, 123), (2026, 124), (2026, 125)]
    # a long "range" is not expanded (it is more likely two unrelated numbers)
    assert [m.seq for m in extract_mentions("INV-2026-00123-00199")][:1] == [123]


CITIES = ["上海", "苏州", "北京", "深圳"]
CORES = ["华美", "鑫达", "恒源", "瑞宏"]
TRADES = ["贸易", "电子科技", "物流", "机械"]
FORMS = ["有限公司", "股份有限公司", "有限责任公司", "公司", ""]


@given(
    st.sampled_from(CITIES),
    st.sampled_from(CORES),
    st.sampled_from(TRADES),
    st.sampled_from(FORMS),
    st.sampled_from(FORMS),
    st.lists(st.integers(0, 12), max_size=3),
    st.booleans(),
    st.sampled_from(["", "北京分公司", "成都分公司"]),
)
def test_spelling_variants_never_change_the_key(
    city: str,
    core: str,
    trade: str,
    form: str,
    other_form: str,
    spaces: list[int],
    wide: bool,
    branch: str,
) -> None:
    name = city + core + trade
    variant = name + other_form + (branch if other_form else "")
    for pos in sorted(spaces, reverse=True):
        variant = variant[:pos] + " " + variant[pos:]
    if wide:
        variant = variant.replace(" ", "\u3000")
    assert name_key(name + form) == name_key(variant)
    assert similarity(variant, name + form) == 1.0


@given(st.sampled_from(CITIES), st.sampled_from(CORES), st.sampled_from(TRADES))
def test_another_city_or_trade_is_never_a_close_match(city: str, core: str, trade: str) -> None:
    name = city + core + trade + "有限公司"
    for other_city in CITIES:
        for other_trade in TRADES:
            if (other_city, other_trade) != (city, trade):
                assert similarity(other_city + core + other_trade + "有限公司", name) <= 0.5
