"""The column names banks use in CSV/XLSX exports, in Chinese and English (and a little more).

Names found in exports from Europe, the Americas, Japan, India and Brazil are kept in
:mod:`.tabular_layouts_world` and appended to each role here.

Each role lists its names in order of preference: when two columns could hold a role (交易日期
and 交易时间), the earlier name wins. A name belongs to one role only.
"""

from __future__ import annotations

import re
import unicodedata

from .tabular_layouts_world import WORLD_SYNONYMS
from .tabular_words import (
    CREDIT_MARKS,
    CURRENCY_NAMES,
    DEBIT_MARKS,
    KNOWN_CURRENCIES,
    names_both_sides,
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "交易日期",
        "记账日期",
        "入账日期",
        "交易日",
        "日期",
        "发生日期",
        "记账日",
        "交易时间",
        "入账时间",
        "记账时间",
        "date",
        "booking date",
        "transaction date",
        "posting date",
        "posted date",
        "date posted",
        "completed date",
        "trans date",
        "buchungstag",
        "buchungsdatum",
        "buchung",
        "datum",
        "boekdatum",
        "transactiedatum",
        "date operation",
        "date de comptabilisation",
        "fecha",
        # Swedbank (Lithuania)
        "data",
        # Nordic banks
        "dato",
        "bokføringsdato",
        "bokföringsdag",
        "transaktionsdag",
        # Alipay's web export: created, paid, last changed (the projects book the creation)
        "交易创建时间",
        "付款时间",
        "记录时间",
        # accounting packages' bank-statement templates (Kingdee, Yonyou); JD Finance's bill
        "业务日期",
        "完成时间",
        # CMB's app export dates its rows 账单日期; Alipay's business 账务明细 发生时间
        "账单日期",
        "发生时间",
    ),
    "value_date": (
        "起息日",
        "起息日期",
        "value date",
        "valuta",
        "valutadatum",
        "wertstellung",
        "started date",
        "date valeur",
        "rentedato",
    ),
    "amount": (
        # PayPal and Stripe print gross, fee and net: net is what moved (the fee is then no
        # longer subtracted)
        "net",
        "net amount",
        # ICBC prints both: 记账金额 is in the account's currency, 交易金额 in the payment's
        "记账金额",
        # CGB's card export: 入账金额/入账货币 as booked, 交易金额/交易货币 as paid abroad
        "入账金额",
        "交易金额",
        # ICBC's PDF 借记账户历史明细: one signed column (+ in, - out)
        "收入/支出金额",
        "金额",
        "发生额",
        "交易发生额",
        # Meituan's bill: 订单金额 is the price before discounts, 实付金额 what was paid
        "实付金额",
        # WeChat Pay's merchant bill: 应结订单金额 is settled (订单金额 before vouchers), a
        # refund row's 退款金额 goes out
        "应结订单金额",
        "amount",
        "transaction amount",
        "billing amount",
        "betrag",
        "bedrag",
        "montant",
        "importe",
        "suma",
        "beløp",
        "beløb",
        "belopp",
        # NatWest calls its signed amount column "Value" (value dates are "value date")
        "value",
    ),
    "credit": (
        "收入",
        "收入金额",
        "贷方金额",
        "贷方发生额",
        "贷方",
        "存入",
        "存入金额",
        "转入金额",
        "收款金额",
        "贷方发生数",
        "credit",
        "credit amount",
        "paid in",
        "money in",
        "deposit",
        "deposits",
        "credits",
        "haben",
        "inn",
        "crédit",
    ),
    "debit": (
        "支出",
        "支出金额",
        "借方金额",
        "借方发生额",
        "借方",
        "支取",
        "支取金额",
        "取出",
        "转出金额",
        "付款金额",
        "借方发生数",
        "退款金额",
        "debit",
        "debit amount",
        "paid out",
        "money out",
        "withdrawal",
        "withdrawals",
        "debits",
        "soll",
        "ut",
        "débit",
    ),
    "direction": (
        "借贷标志",
        "借贷方向",
        "借贷标识",
        "借贷",
        "借/贷",
        "收支标志",
        "收支",
        "收/支",
        # WeChat Pay's PDF 交易明细证明 (其他: a move between the holder's own balances)
        "收/支/其他",
        "交易方向",
        "dr/cr",
        "cr/dr",
        "debit/credit",
        "credit/debit",
        "d/c",
        "c/d",
        "af bij",
        "af/bij",
        "creditdebet",
        "credit/debet",
        "debet/credit",
        "credit debit indicator",
        "soll/haben",
        "s/h",
        "d/k",
        "收支类型",
        "收付标志",
        # banks' own names for the flag column; a header pairing the two sides with a word for
        # "flag" (借贷标记, 收付方向, Debit/Credit Flag) is found without a list, see
        # :func:`_flag_header`
        "资金方向",
        "资金流向",
        "方向",
        "收支属性",
        "收支类别",
        "借贷类别",
        "交易借贷标志",
    ),
    "balance": (
        "余额",
        "账户余额",
        "本次余额",
        "交易后余额",
        "当前余额",
        "联机余额",
        "balance",
        "running balance",
        "saldo",
        "saldo na mutatie",
        "kontostand",
        "solde",
    ),
    "currency": (
        "币种",
        "货币",
        "币别",
        "记账币种",
        "入账货币",
        "入账币种",
        "交易币种",
        "交易货币",
        "货币种类",
        "currency",
        "ccy",
        "currency code",
        "billing currency",
        "valutacode",
        "währung",
        "waehrung",
        "munt",
        "devise",
        "valiuta",
    ),
    "description": (
        "摘要",
        "用途",
        "附言",
        "备注",
        "交易摘要",
        "交易附言",
        "交易描述",
        "交易说明",
        "客户摘要",
        "交易用途",
        "摘要说明",
        "说明",
        "交易备注",
        # Meituan's bill: the shop and the order ("喜茶（…店） 订单详情")
        "订单标题",
        "摘要信息",
        "用途说明",
        # ICBC's card export: 摘要 (the kind), 交易详情 (what it was)
        "交易详情",
        # JD Finance's bill
        "款项说明",
        "附加信息",
        "商品说明",
        "商品",
        "description",
        "transaction description",
        "transaction details",
        "transaction detail",
        "remarks/description",
        "details",
        "detail",
        "reference",
        "memo",
        "narrative",
        "label",
        "particulars",
        "remarks",
        "remittance information",
        "payment details",
        # UK current account statements (HSBC): the payment type (DD, VIS, CR...) and details
        "payment type and details",
        "verwendungszweck",
        "omschrijving",
        "mededelingen",
        "paaiškinimai",
        "beskrivelse",
        "tekst",
        "libellé",
        "umsatztext",
        "text",
        # BOC's XLSX export, Alipay's web export
        "业务摘要",
        "商品名称",
    ),
    "counterparty_name": (
        "对方户名",
        "对方名称",
        "对方账户名称",
        "对方账户名",
        "对方单位",
        "对方单位名称",
        "对方户名称",
        "对方姓名",
        "交易对方",
        # JD's bill names the merchant (京东平台商户, 京东小金库)
        "商户名称",
        "收/付款人",
        "收/付方名称",
        "收/付款人名称",
        # CMBC's corporate export
        "对方账号名称",
        "对方",
        "counterparty",
        "counterparty name",
        "payee",
        "payer",
        "name",
        "partner name",
        "beneficiary",
        "naam/omschrijving",
        "naam tegenpartij",
        "tegenrekeninghouder",
        "auftraggeber/empfänger",
        "beguenstigter/zahlungspflichtiger",
        "empfänger",
        "gavėjas",
        "auftraggeber",
    ),
    "counterparty_account": (
        "对方账号",
        "对方帐号",
        "对方账户",
        "对方卡号",
        "对方账户账号",
        "收/付款人账号",
        "对方卡号/账号",
        "对方账号/卡号",
        "收/付方帐号",
        "收/付方账号",
        "account",
        "bank account",
        "counterparty account",
        "iban",
        "tegenrekening",
        "tegenrekeningnummer",
        "gegenkonto",
        "kontonummer/iban",
    ),
    "counterparty_bank": (
        "对方开户行",
        "对方行名",
        "对方银行",
        "对方开户银行",
        "对方开户机构",
        "对方行名称",
        "对方行号",
        "收/付方开户行",
        # CMB's corporate export names the bank twice: 开户行名 in full, 分行名 only the city;
        # Ping An's 账务机构
        "收/付方开户行名",
        "收/付方分行名",
        "对方开户行名",
        "对方账务机构",
        "bank",
        "bank name",
        "counterparty bank",
        "bic",
    ),
    "bank_ref": (
        "交易流水号",
        # Alipay's business 账务明细: one 账务流水号 a line, the payment and its fee share the
        # 业务流水号
        "账务流水号",
        "账户明细编号-交易流水号",
        "流水号",
        "流水号码",
        "银行流水号",
        "业务流水号",
        "交易流水",
        "交易参考号",
        "交易编号",
        "交易单号",
        "交易订单号",
        # WeChat Pay's merchant bill (its 公众账号ID is no reference; a refund repeats the order)
        "微信订单号",
        "交易序号",
        "凭证号",
        "凭证号码",
        "回单编号",
        "įrašo nr.",
        "日志号",
        "referentie",
        "transaction id",
        "transaction reference",
        "ref no",
        "reference no",
        "reference number",
        "bank reference",
        "transaction no",
        "transaction number",
        "operation number",
        "id",
        "交易号",
    ),
    "our_account": (
        "本方账号",
        "本方账户",
        "我方账号",
        "账号",
        "帐号",
        "卡号",
        "own account",
        # UK downloads (Lloyds, NatWest) repeat our own account on every row
        "account number",
        "our account",
        "rekening",
        "rekeningnummer",
        "auftragskonto",
        "sąskaitos nr.",
        "kontonummer",
    ),
    # BOC and others print both parties, one of them us: the row's direction picks the other
    # (Austrian Oberbank too: Auftraggeber… and Empfänger… columns)
    "payer_name": (
        "付款人名称",
        "付款人",
        "付款人户名",
        "付款方名称",
        "付款方",
        # Ping An's card export names people: 付款方姓名, 收款方姓名
        "付款方姓名",
        "付款人姓名",
        "auftraggebername",
    ),
    "payer_account": (
        "fra konto",
        "付款人账号",
        "付款人帐号",
        "付款方账号",
        "付款账号",
        "auftraggeber iban/kto.nr.",
    ),
    "payer_bank": (
        "付款人开户行名",
        "付款人开户行",
        "付款行名",
        "付款方开户行",
        "付款人开户银行",
        "auftraggeber bic/blz",
    ),
    "payee_name": (
        "收款人名称",
        "收款人",
        "收款人户名",
        "收款方名称",
        "收款方",
        "收款方姓名",
        "收款人姓名",
        "empfängername",
    ),
    "payee_account": (
        "收款人账号",
        "收款人帐号",
        "收款方账号",
        "收款账号",
        "empfänger iban/kto.nr.",
        "til konto",
    ),
    "payee_bank": (
        "收款人开户行名",
        "收款人开户行",
        "收款行名",
        "收款方开户行",
        "收款人开户银行",
        "empfänger bic/blz",
    ),
    # CMB prints the other party as one cell: "上海华美贸易有限公司 6222021001122334455"
    "counterparty": (
        "对手信息",
        "对方信息",
        "交易对手信息",
        "对手方信息",
        "对方账户信息",
        # CCB: "6222020000000001111/张三", or only a name
        "对方账号与户名",
    ),
    "state": ("交易状态", "状态", "state", "status", "当前状态"),
    "fee": ("手续费", "fee", "fees", "charges"),
    "type": (
        "交易类型",
        "业务类型",
        "交易方式",
        "type",
        "transaction type",
        "mutatiesoort",
        "buchungstext",
        "code",
        "类型",
    ),
    "original_amount": ("原币金额", "original amount", "amount currency"),
    "original_currency": ("原币种", "原币币种", "original currency"),
}

_TRAILING_UNIT = re.compile(r"\([^()]*\)$")
_SEPARATORS = re.compile(r"[\s_:*'\"]+")


def normalise_header(cell: str) -> str:
    """Return a header cell reduced for comparison: NFKC, lower case, no spaces, no unit suffix.

    ``收入金额（元）`` and ``收入金额`` compare equal, so do ``Paid in`` and ``PAID_IN``.
    """
    text = unicodedata.normalize("NFKC", cell).strip().strip("\ufeff").lower()
    text = _TRAILING_UNIT.sub("", text).strip()
    return _SEPARATORS.sub("", text)


# BOC's corporate export brackets the English: 交易日期[ Transaction Date ]
_BILINGUAL_SPLIT = re.compile(
    r"\s*[/|\n\[\]【】]+\s*|(?<=[\u4e00-\u9fff)])\s*(?=[a-z])|(?<=[a-z.)])\s*(?=[\u4e00-\u9fff])"
)


def header_role(cell: str) -> tuple[str, int] | None:
    """Return the (role, preference) a header cell names, bilingual headers included.

    ``交易日期 Transaction Date``, ``借方发生额/Debit`` and ``Deposit 存入`` name their role in
    either language: the whole cell is looked up first, then each language's half.
    """
    key = normalise_header(cell)
    if (flag := _flag_header(key)) is not None:
        return flag
    sided = _amount_by_side(cell)
    if sided is not None:
        return sided
    if key in HEADER_ROLES:
        return HEADER_ROLES[key]
    if (money := _currency_first(key)) is not None:
        return money[1]
    if (money := currency_last(cell)) is not None:
        return money[1]
    text = unicodedata.normalize("NFKC", cell).strip().lower()
    found = [HEADER_ROLES.get(normalise_header(p)) for p in _BILINGUAL_SPLIT.split(text) if p]
    named = [f for f in found if f is not None]
    roles = {role for role, _ in named}
    if len(roles) == 1:
        return min(named)
    if roles == {"currency", "amount"}:
        # BOCOM's 交易币种/金额 and 入账币种/金额 hold "CNY 123.18": an amount with its code;
        # the booked one (入账币种, ranked before 交易币种) is preferred
        return "amount", sum(rank for _, rank in named)
    return None


def _flag_header(key: str) -> tuple[str, int] | None:
    """Return the direction role for a normalised header naming both sides of a flag
    (借贷标记, 收付方向, ``Debit/Credit Flag``); listed headers keep their role."""
    if key in HEADER_ROLES or not names_both_sides(key):
        return None
    return "direction", len(_SYNONYMS["direction"])


def _currency_first(key: str) -> tuple[str, tuple[str, int]] | None:
    """Split a normalised header that names its currency before a money role.

    CMB's card statements head the amount ``人民币金额`` (beside ``交易地金额``, the amount in
    the place of purchase's currency); ``美元金额`` and ``港币支出`` are read the same way.
    """
    for name, code in CURRENCY_NAMES.items():
        if len(name) > 1 and key.startswith(name):
            role = HEADER_ROLES.get(key[len(name) :])
            if role is not None and role[0] in ("amount", "credit", "debit"):
                return code, role
    return None


def currency_last(cell: str) -> tuple[str, tuple[str, int]] | None:
    """Split a header that names its currency after a money role: ZKB's ``Debit CHF``,
    ``Credit CHF`` and ``Balance CHF``, ``Betrag EUR``."""
    m = _CODE_AFTER.match(unicodedata.normalize("NFKC", cell).strip())
    if m is None or m.group(2).upper() not in KNOWN_CURRENCIES:
        return None
    role = HEADER_ROLES.get(normalise_header(m.group(1)))
    if role is None or role[0] not in ("amount", "credit", "debit", "balance"):
        return None
    return m.group(2).upper(), role


_CODE_AFTER = re.compile(r"^(.+?)[\s_]+([A-Za-z]{3})$")


def currency_prefix(key: str) -> str | None:
    """Return the currency a normalised header names before its amount (``人民币金额``: CNY)."""
    found = _currency_first(key)
    return found[0] if found else None


def _amount_by_side(cell: str) -> tuple[str, int] | None:
    """Return credit or debit for an amount column whose unit names the side.

    ICBC heads its columns ``交易金额(收入)`` and ``记账金额(支出)``: without the suffix (which
    :func:`normalise_header` drops as a unit like ``(元)``) both would be the amount.
    """
    text = unicodedata.normalize("NFKC", cell).strip().lower()
    unit = _TRAILING_UNIT.search(text)
    if unit is None:
        return None
    base = HEADER_ROLES.get(normalise_header(text[: unit.start()]))
    side = _SEPARATORS.sub("", unit.group()[1:-1])
    if base is None or base[0] != "amount":
        return None
    if side in CREDIT_MARKS:
        return "credit", base[1]
    if side in DEBIT_MARKS:
        return "debit", base[1]
    return None


for _role, _names in WORLD_SYNONYMS.items():
    _SYNONYMS[_role] = _SYNONYMS[_role] + _names

HEADER_ROLES: dict[str, tuple[str, int]] = {}
"""Normalised header name to (role, preference: lower is better)."""
for _role, _names in _SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _key = normalise_header(_name)
        if _key in HEADER_ROLES:  # pragma: no cover - guards the table above
            raise RuntimeError(f"header {_name!r} listed for two roles")
        HEADER_ROLES[_key] = (_role, _rank)
