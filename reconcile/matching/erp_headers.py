"""The one vocabulary of the ERP exports' column names: the documented English names and the
Chinese names Kingdee (金蝶), Yonyou (用友) and hand-made Excel sheets give the same columns.

An ERP file's header is read through it by :func:`reconcile.matching.erp_csv.read_rows`, the
reader shared by ``python -m reconcile match`` and the portal's import, so both take the same
files. A name is compared after NFKC (full-width letters), case folding and without the ``*``
that templates put on required columns. Names that mean different things in different ERPs
(``订单号``: the customer's PO or our sales order; ``单据日期``: the invoice's or the voucher's
day) are left out: such a column is renamed in the file rather than guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["VOCABULARIES", "canonical_names", "header_key"]

CUSTOMERS: Mapping[str, tuple[str, ...]] = {
    "code": ("客户编码", "客户代码", "客户编号", "编码"),
    "name": ("客户名称", "客户全称", "名称"),
    "aliases": ("别名", "客户简称", "简称"),
    "bank_accounts": ("银行账号", "银行帐号", "银行账户", "开户账号"),
    "currency": ("币种", "币别", "结算币种"),
    "credit_limit": ("信用额度",),
    "email": ("邮箱", "电子邮箱", "电子邮件"),
    "phone": ("电话", "联系电话"),
    "language": ("语言",),
    "region": ("地区", "区域"),
    "segment": ("客户分类", "客户类别"),
    "payment_terms": ("账期", "账期天数", "信用天数"),
}
INVOICES: Mapping[str, tuple[str, ...]] = {
    "number": ("发票号", "发票号码", "发票编号", "单据编号"),
    "customer": ("客户编码", "客户代码", "客户编号"),
    "issue_date": ("开票日期", "发票日期"),
    "due_date": ("到期日", "到期日期"),
    "currency": ("币种", "币别"),
    "amount": ("金额", "发票金额", "价税合计", "原币金额", "应收金额"),
    "open_amount": ("未收金额", "未收款金额", "未核销金额", "原币余额", "应收余额"),
    "po_number": ("采购订单号", "客户订单号", "客户采购订单号"),
    "sales_order": ("销售订单号",),
    "contract": ("合同号", "合同编号"),
    "product_line": ("产品线",),
    "settled_on": ("结清日期",),
}
CONTACTS: Mapping[str, tuple[str, ...]] = {
    "customer": ("客户编码", "客户代码", "客户编号"),
    "name": ("联系人", "姓名"),
    "email": ("邮箱", "电子邮箱", "电子邮件"),
    "mobile": ("手机", "手机号", "手机号码"),
    "language": ("语言",),
    "billing": ("对账联系人", "是否对账联系人", "账务联系人"),
}
# ``签订日期`` (signed) is not ``valid_from``: a contract is often signed before it starts;
# ``付款条件``/``付款方式`` are text ("预付30%，验收后70%"), not the days of ``payment_terms``;
# ``里程碑`` names milestones without their amounts, not the ``DATE=AMOUNT`` schedule
CONTRACTS: Mapping[str, tuple[str, ...]] = {
    "number": ("合同编号", "合同号", "合同编码"),
    "customer": ("客户编码", "客户代码", "客户编号"),
    "currency": ("币种", "币别"),
    "total": ("合同金额", "合同总金额", "合同总额", "合同总价", "金额", "价税合计"),
    "payment_terms": ("账期", "账期天数", "付款天数", "信用天数"),
    "valid_from": ("开始日期", "生效日期", "起始日期"),
    "valid_to": ("结束日期", "失效日期", "到期日期", "终止日期", "截止日期"),
    "schedule": ("收款计划", "付款计划", "开票计划"),
}
#: the vocabulary of each kind of ERP file
VOCABULARIES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "customers": CUSTOMERS,
    "invoices": INVOICES,
    "contacts": CONTACTS,
    "contracts": CONTRACTS,
}


def header_key(name: str) -> str:
    """Return a header cell as it is compared: NFKC, without ``*`` and spaces, case-folded."""
    return unicodedata.normalize("NFKC", name).strip().strip("*").strip().lower()


def canonical_names(
    header: Sequence[str], vocabulary: str | None
) -> tuple[list[str], dict[str, list[str]]]:
    """Return the column name of each header cell, and the columns named more than once.

    Without a vocabulary, a name is the cell stripped and lower-cased (as always). With one, a
    known Chinese name becomes its English column. The second result maps a column to the
    different header cells that all name it (``金额`` and ``价税合计``), which a caller refuses.
    """
    plain = [name.strip().lower() for name in header]
    if vocabulary is None:
        return plain, {}
    aliases = {
        header_key(alias): column
        for column, names in VOCABULARIES[vocabulary].items()
        for alias in (column, *names)
    }
    names = [aliases.get(header_key(raw), name) for name, raw in zip(plain, header, strict=True)]
    seen: dict[str, list[str]] = {}
    for cell, name in zip(header, names, strict=True):
        if name in aliases.values():
            seen.setdefault(name, []).append(cell.strip())
    twice = {
        column: cells for column, cells in seen.items() if len({header_key(c) for c in cells}) > 1
    }
    return names, twice
