"""PDF bank receipts: every layout generated with known values, parsed back field by field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generators import receipts as gen
from reconcile.errors import LimitExceeded, ParseError
from reconcile.model import ParseSettings, Transaction
from reconcile.normalize import AmountError, format_chinese_amount, parse_amount
from reconcile.parsers import detect
from reconcile.parsers import pdf as pdf_parser

COMPARED = [f.name for f in dataclasses.fields(Transaction) if f.name not in ("raw", "warnings")]


def _parse(data: bytes, settings: ParseSettings, filename: str = "r.pdf") -> list[Transaction]:
    return pdf_parser.parse(data, filename, settings)


def _assert_same(got: list[Transaction], expected: list[Transaction]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert {k: getattr(g, k) for k in COMPARED} == {k: getattr(e, k) for k in COMPARED}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("layout", gen.LAYOUTS)
def test_every_layout_parses_every_field(layout: str, seed: int) -> None:
    generated = gen.generate(layout, 6, seed=seed)
    got = _parse(generated.data, generated.settings, generated.filename)
    _assert_same(got, generated.transactions)
    for tx in got:
        assert tx.warnings == [], tx.warnings
        # raw keeps the printed label/value pairs, the printed amount among them
        assert any(_amount_or_none(v) == tx.amount for v in tx.raw.values()), tx.raw


def _amount_or_none(text: str) -> Decimal | None:
    try:
        return abs(parse_amount(text))
    except AmountError:
        return None


def test_multi_per_page_sources_number_receipts_on_each_page() -> None:
    generated = gen.generate("multi_per_page", 8, seed=3)
    got = _parse(generated.data, generated.settings, generated.filename)
    sources = [tx.source for tx in got]
    assert any(s.endswith("/2") for s in sources) and any(s.endswith("/1") for s in sources)
    assert sources == [tx.source for tx in generated.transactions]
    assert all(s.startswith(f"{generated.filename}#page=") for s in sources)


def test_sniff_and_detection() -> None:
    data = gen.generate("label_lines", 1).data
    assert pdf_parser.sniff(data, "whatever.bin")
    assert not pdf_parser.sniff(b"date,amount\n2026-11-03,1.00\n", "x.pdf")
    assert detect(data, "statement.csv").FORMAT == "pdf"


@pytest.mark.parametrize("payee_first", [False, True])
@pytest.mark.parametrize("heading", ["stacked", "rotated", "across"])
def test_grid_never_swaps_the_parties(payee_first: bool, heading: str) -> None:
    rng = random.Random(7)
    specs = []
    for _ in range(4):
        tx = gen.random_transaction(rng)
        spec = gen.make_spec(rng, tx, english=False, date_style="cn")
        spec.payee_first = payee_first
        spec.vertical, spec.rotated = heading != "across", heading == "rotated"
        specs.append(spec)
    generated = gen.render("grid", specs, filename="grid.pdf", rng=rng)
    got = _parse(generated.data, gen.own_settings(), "grid.pdf")
    _assert_same(got, generated.transactions)
    for tx, spec in zip(got, specs, strict=True):
        assert (tx.payer_name, tx.payer_account) == (spec.tx.payer_name, spec.tx.payer_account)
        assert (tx.payee_name, tx.payee_account) == (spec.tx.payee_name, spec.tx.payee_account)
        # the label that produced each party is the party's own heading
        assert tx.raw[next(k for k in tx.raw if k.startswith("付款人"))] == tx.payer_name


RECEIPT = [
    "中国建设银行 电子回单",
    "交易流水号：2026110300001234",
    "交易日期：2026年11月03日",
    "付款人名称：北京华信科技有限公司",
    "付款人账号：6227 0000 1111 2222",
    "付款人开户行：中国建设银行北京朝阳支行",
    f"收款人名称：{gen.OWN_NAME_CN}",
    f"收款人账号：{gen.OWN_ACCOUNTS[0]}",
    "金额（小写）：¥12,345.60",
    "金额（大写）：壹万贰仟叁佰肆拾伍元陆角整",
    "用途：货款 INV-2026-0042",
]


def test_hand_written_receipt() -> None:
    [tx] = _parse(gen.lines_pdf([RECEIPT]), gen.own_settings())
    assert tx == Transaction(
        bank_ref="2026110300001234",
        booking_date=dt.date(2026, 11, 3),
        value_date=dt.date(2026, 11, 3),
        amount=Decimal("12345.60"),
        direction="credit",
        currency="CNY",
        payer_name="北京华信科技有限公司",
        payer_account="6227000011112222",
        payer_bank="中国建设银行北京朝阳支行",
        payee_name=gen.OWN_NAME_CN,
        payee_account=gen.OWN_ACCOUNTS[0],
        reference="货款 INV-2026-0042",
        our_account=gen.OWN_ACCOUNTS[0],
        source="r.pdf#page=1/1",
        raw=tx.raw,
        warnings=[],
    )
    assert tx.raw["金额(大写)"] == "壹万贰仟叁佰肆拾伍元陆角整"
    assert tx.raw["付款人名称"] == "北京华信科技有限公司"


def test_chinese_amount_mismatch_is_a_warning() -> None:
    lines = [line.replace("陆角整", "伍角整") if "大写" in line else line for line in RECEIPT]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.amount == Decimal("12345.60")  # the figures stand, but never silently
    assert len(tx.warnings) == 1
    assert "大写" in tx.warnings[0] and "12345.50" in tx.warnings[0]


def test_unreadable_chinese_amount_is_a_warning() -> None:
    lines = [line.replace("陆角整", "陆角角") if "大写" in line else line for line in RECEIPT]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert any("could not be read" in w for w in tx.warnings)


def test_direction_from_own_names_when_accounts_unknown() -> None:
    settings = ParseSettings(own_names=(gen.OWN_NAME_CN,))
    [tx] = _parse(gen.lines_pdf([RECEIPT]), settings)
    assert tx.direction == "credit" and tx.warnings == []
    debit = [
        line.replace("付款人", "X").replace("收款人", "付款人").replace("X", "收款人")
        for line in RECEIPT
    ]
    [tx] = _parse(gen.lines_pdf([debit]), settings)
    assert tx.direction == "debit" and tx.our_account == gen.OWN_ACCOUNTS[0]
    assert tx.payer_name == gen.OWN_NAME_CN and tx.payee_name == "北京华信科技有限公司"


@pytest.mark.parametrize("layout", ["label_lines", "english"])
def test_direction_from_the_receipts_words_when_neither_side_is_ours(layout: str) -> None:
    generated = gen.generate(layout, 6, seed=5, ours=False)
    got = _parse(generated.data, ParseSettings(), generated.filename)
    assert [tx.direction for tx in got] == [tx.direction for tx in generated.transactions]
    assert {tx.direction for tx in got} == {"credit", "debit"}
    for tx in got:
        assert any("taken from the receipt's own words" in w for w in tx.warnings)


def test_direction_unknown_is_assumed_credit_with_a_warning() -> None:
    [tx] = _parse(gen.lines_pdf([RECEIPT]), ParseSettings())
    assert tx.direction == "credit"
    assert any("assumed credit" in w for w in tx.warnings)


ENGLISH = [
    "CREDIT ADVICE",
    "Our Reference: FT2630712345",
    "Booking Date: 03/11/2026",
    "Ordering Customer: Acme Components Inc.",
    "Beneficiary: Concord Trading (Shanghai) Co., Ltd.",
    f"Beneficiary Account: {gen.OWN_ACCOUNTS[1]}",
    "Amount: EUR 1.234,56",
    "Remittance Information: INV-2026-0001",
]


def test_day_first_from_the_setting_or_other_dates() -> None:
    data = gen.lines_pdf([ENGLISH], font=gen.EN_FONT)
    [tx] = _parse(data, gen.own_settings(dayfirst=False))
    assert tx.booking_date == dt.date(2026, 3, 11) and tx.warnings == []
    assert tx.amount == Decimal("1234.56") and tx.currency == "EUR"
    [tx] = _parse(data, gen.own_settings())
    assert tx.booking_date == dt.date(2026, 11, 3)
    assert any("ambiguous" in w for w in tx.warnings)
    second = [line.replace("03/11/2026", "11/25/2026") for line in ENGLISH]
    two = gen.lines_pdf([ENGLISH, second], font=gen.EN_FONT)
    first, other = _parse(two, gen.own_settings())
    assert (first.booking_date, other.booking_date) == (dt.date(2026, 3, 11), dt.date(2026, 11, 25))
    assert first.warnings == [] and other.warnings == []


def test_scanned_page_is_refused() -> None:
    with pytest.raises(ParseError, match=r"no text layer \(scanned image\)") as info:
        _parse(gen.scanned_pdf(), ParseSettings(), "scan.pdf")
    assert "scan.pdf" in str(info.value) and "page 1" in str(info.value)


def test_scanned_page_among_receipts_is_left_out_naming_the_page() -> None:
    data = gen.scanned_pdf([RECEIPT])
    txs, (info,) = pdf_parser.parse_with_statements(data, "mixed.pdf", gen.own_settings())
    assert [tx.source for tx in txs] == ["mixed.pdf#page=1/1"]
    assert info.raw["warnings"] == [
        "page 2: no text layer (scanned image); OCR the file or ask the bank for a text PDF; the "
        "entry is left out, the rest of the file is read"
    ]
    assert (info.raw["pages"], info.raw["receipts"]) == (2, 1)


def test_encrypted_pdf_needing_a_password_is_refused() -> None:
    with pytest.raises(ParseError, match="encrypted PDF"):
        _parse(gen.encrypted_pdf("secret"), ParseSettings())


def test_pdf_encrypted_with_owner_password_only_is_read() -> None:
    # banks often restrict printing with an owner password; the text is still readable
    [tx] = _parse(gen.encrypted_pdf(""), gen.own_settings())
    assert tx.amount == Decimal("1000.00") and tx.direction == "credit"
    assert tx.bank_ref == "2026110300001" and tx.booking_date == dt.date(2026, 11, 3)


def test_undecodable_text_layer_is_refused() -> None:
    with pytest.raises(ParseError, match="cannot be decoded"):
        _parse(gen.undecodable_pdf(), ParseSettings())


def test_broken_pdf_gives_a_clear_error() -> None:
    with pytest.raises(ParseError, match="not a readable PDF") as broken:
        _parse(b"%PDF-1.4\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", ParseSettings())
    assert broken.value.problem.code == "pdf_unreadable"


@pytest.mark.parametrize("keep", [20, 0.3, 0.6, 0.97])
def test_pdf_cut_short_says_so(keep: float) -> None:
    """A download or upload cut short (no %%EOF at the end) is told as such, not in the PDF
    library's words: whatever part of the file is left."""
    data = gen.generate("label_lines", 2).data
    cut = data[: int(keep if keep > 1 else len(data) * keep)]
    with pytest.raises(ParseError, match="incomplete PDF") as raised:
        _parse(cut, ParseSettings())
    assert raised.value.problem.code == "pdf_truncated"
    assert raised.value.problem.params["size"] == str(len(cut))


def test_page_limit() -> None:
    data = gen.generate("label_lines", 3).data
    with pytest.raises(LimitExceeded, match="3 pages"):
        _parse(data, gen.own_settings(max_pages=2))


def test_receipt_without_amount_is_left_out_naming_the_page() -> None:
    lines = [line for line in RECEIPT if "金额" not in line]
    data = gen.lines_pdf([RECEIPT, lines, RECEIPT])
    txs, (info,) = pdf_parser.parse_with_statements(data, "r.pdf", gen.own_settings())
    assert [tx.source for tx in txs] == ["r.pdf#page=1/1", "r.pdf#page=3/1"]
    (warning,) = info.raw["warnings"]
    assert warning.code == "entry_left_out" and warning.startswith("page 2: ")
    assert "no amount" in warning
    with pytest.raises(ParseError, match="no amount") as caught:
        _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert "page 1" in str(caught.value)


def test_receipt_without_date_is_an_error() -> None:
    lines = [line for line in RECEIPT if "日期" not in line]
    with pytest.raises(ParseError, match="no date"):
        _parse(gen.lines_pdf([lines]), gen.own_settings())


def test_text_pdf_without_receipt_is_refused() -> None:
    data = gen.lines_pdf([["Quarterly newsletter", "Date: 2026-11-03", "Amount: 5.00"]])
    with pytest.raises(ParseError, match="no bank receipt found"):
        _parse(data, ParseSettings())


def test_blank_page_between_receipts_is_skipped() -> None:
    [tx] = _parse(gen.lines_pdf([[], RECEIPT]), gen.own_settings())
    assert tx.source == "r.pdf#page=2/1"


def test_two_receipts_without_titles_split_at_the_repeated_field() -> None:
    second = [
        line.replace("2026110300001234", "2026110300009999").replace("12,345.60", "88.00")
        for line in RECEIPT[1:]
        if "大写" not in line
    ]
    first, other = _parse(gen.lines_pdf([RECEIPT[1:] + second]), gen.own_settings())
    assert (first.bank_ref, first.amount) == ("2026110300001234", Decimal("12345.60"))
    assert (other.bank_ref, other.amount) == ("2026110300009999", Decimal("88.00"))
    assert (first.source, other.source) == ("r.pdf#page=1/1", "r.pdf#page=1/2")
    assert first.warnings == [] and other.warnings == []


def test_amount_cell_holding_words_and_figures() -> None:
    lines = [line for line in RECEIPT if "金额" not in line]
    lines.append("金额：人民币壹万贰仟叁佰肆拾伍元陆角整 ¥12,345.60")
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.amount == Decimal("12345.60") and tx.currency == "CNY" and tx.warnings == []
    lines[-1] = "金额：人民币壹万贰仟叁佰肆拾伍元整 ¥12,345.60"
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert any("disagrees" in w for w in tx.warnings)


def test_date_with_time_only_label_and_reversal_title() -> None:
    lines = [
        "中国银行 冲正回单" if line.endswith("电子回单") else line
        for line in RECEIPT
        if "交易日期" not in line
    ]
    lines.append("交易时间：2026-11-04 09:15:00")
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.booking_date == dt.date(2026, 11, 4)
    assert tx.reversal is True
    [plain] = _parse(gen.lines_pdf([RECEIPT]), gen.own_settings())
    assert plain.reversal is False


def test_currency_field_and_usd_amount() -> None:
    lines = [line for line in RECEIPT if "金额" not in line]
    lines += ["币种：美元", "交易金额：USD 2,500.00"]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert (tx.currency, tx.amount, tx.warnings) == ("USD", Decimal("2500.00"), [])
    lines[-1] = "交易金额：EUR 2.500,00"
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.currency == "USD" and any("disagrees" in w for w in tx.warnings)


@pytest.mark.parametrize(
    ("payer_heading", "payee_heading"), [("付款人信息", "收款人信息"), ("付款人", "收款人")]
)
def test_stacked_party_sections(payer_heading: str, payee_heading: str) -> None:
    lines = [
        "电子回单",
        "交易流水号：2026110300001234",
        "交易日期：2026-11-03",
        payee_heading,
        f"户名：{gen.OWN_NAME_CN}",
        f"账号：{gen.OWN_ACCOUNTS[0]}",
        "开户行：中国工商银行上海市分行营业部",
        payer_heading,
        "户名：北京华信科技有限公司",
        "账号：6227000011112222",
        "开户行：中国建设银行北京朝阳支行",
        "金额：¥500.00",
    ]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert (tx.payer_name, tx.payer_account) == ("北京华信科技有限公司", "6227000011112222")
    assert tx.payer_bank == "中国建设银行北京朝阳支行"
    assert (tx.payee_name, tx.payee_account) == (gen.OWN_NAME_CN, gen.OWN_ACCOUNTS[0])
    assert tx.direction == "credit" and tx.warnings == []


def test_party_label_with_its_value_on_the_next_line() -> None:
    lines = [line for line in RECEIPT if not line.startswith("付款人名称")]
    lines[3:3] = ["付款人：", "北京华信科技有限公司"]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.payer_name == "北京华信科技有限公司" and tx.warnings == []


def test_icbc_style_receipt_prefers_the_transaction_number() -> None:
    # labels and formats of ICBC's 网上银行电子回单: ideographic spaces inside labels, the
    # receipt number before the transaction number, a DB2-style 时间戳, "¥...元" amounts
    lines = [
        "中国工商银行 网上银行电子回单",
        "电子回单号码：0918-3117-0241-1100",
        "付方账户名称：北京华信科技有限公司",
        "付方账号：0200049609201258271",
        "付方开户银行名称：中国工商银行北京分行",
        f"收方账户名称：{gen.OWN_NAME_CN}",
        f"收　方　账　号：{gen.OWN_ACCOUNTS[0]}",
        "金　额：¥6,360.00元",
        "摘　要：货款",
        "交易流水号：82900515",
        "时间戳：2026-07-21-12.28.05.532979",
        "补打次数：1",
    ]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.bank_ref == "82900515"
    assert tx.raw["电子回单号码"] == "0918-3117-0241-1100"
    assert tx.booking_date == dt.date(2026, 7, 21)
    assert (tx.amount, tx.currency, tx.direction) == (Decimal("6360.00"), "CNY", "credit")
    assert tx.payer_account == "0200049609201258271" and tx.payer_bank == "中国工商银行北京分行"
    assert tx.reference == "货款" and tx.warnings == []
    without = [line for line in lines if not line.startswith("交易流水号")]
    [tx] = _parse(gen.lines_pdf([without]), gen.own_settings())
    assert tx.bank_ref == "0918-3117-0241-1100"


def test_letter_spaced_labels_are_recorded_without_spacing() -> None:
    lines = [line.replace("用途", "用　途") for line in RECEIPT]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.reference == "货款 INV-2026-0042"
    assert "用途" in tx.raw


@settings(max_examples=25, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=99_999_999_999_999),
    date=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    style=st.integers(min_value=0, max_value=14),
    date_style=st.sampled_from(gen.CN_DATE_STYLES),
)
def test_any_amount_and_date_printed_on_a_receipt_parses_back(
    cents: int, date: dt.date, style: int, date_style: str
) -> None:
    amount = Decimal(cents).scaleb(-2)
    lines = [line for line in RECEIPT if "金额" not in line and "日期" not in line]
    lines += [
        f"交易日期：{gen.format_date(date, date_style)}",
        f"金额：{gen.format_amount(amount, 'CNY', style)}",
        f"大写：{format_chinese_amount(amount)}",
    ]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert (tx.amount, tx.booking_date, tx.currency) == (amount, date, "CNY")
    assert tx.warnings == []


def test_chinese_receipt_without_currency_is_assumed_cny_with_a_warning() -> None:
    lines = [line for line in RECEIPT if "金额" not in line] + ["金额：1,000.00"]
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings())
    assert tx.currency == "CNY" and any("assumed CNY" in w for w in tx.warnings)
    [tx] = _parse(gen.lines_pdf([lines]), gen.own_settings(default_currency="USD"))
    assert tx.currency == "USD" and tx.warnings == []


def test_english_receipt_without_currency_is_an_error_naming_the_receipt() -> None:
    lines = [line.replace("EUR 1.234,56", "1,234.56") for line in ENGLISH]
    with pytest.raises(ParseError, match="no currency") as info:
        _parse(gen.lines_pdf([lines], font=gen.EN_FONT), gen.own_settings(dayfirst=True))
    assert "page 1, receipt 1" in str(info.value)
