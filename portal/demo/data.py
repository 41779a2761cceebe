"""The demo business's customers: Chinese and English names, near-namesakes on purpose."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class DemoCustomer:
    """One customer of the demo business (read from the tables below)."""

    code: str
    name: str
    currency: str
    language: str
    #: the other names the banks print
    aliases: tuple[str, ...]
    #: (account number, bank) the ERP knows
    accounts: tuple[tuple[str, str], ...]
    #: invoices relative weight: big customers buy more often
    weight: int
    #: chance that an overdue invoice is still unpaid (slow payers are higher)
    slowness: float
    credit_limit: int | None


#: each customer's code, legal name, currency, language, weight and slowness (one a line, so
#: that the demo business reads as a table; aliases, accounts and credit limits follow)
_CUSTOMERS: tuple[tuple[str, str, str, str, int, float], ...] = (
    # three near-namesakes: the matcher must not confuse them
    ("C1001", "上海华美贸易有限公司", "CNY", "zh", 8, 0.2),
    ("C1002", "上海华美电子科技有限公司", "CNY", "zh", 5, 0.2),
    ("C1003", "苏州华美贸易有限公司", "CNY", "zh", 4, 0.35),
    ("C1004", "北京中科信达科技有限公司", "CNY", "zh", 4, 0.2),
    ("C1005", "深圳前海鑫达供应链管理有限公司", "CNY", "zh", 6, 0.2),
    ("C1006", "广州白云山医药贸易有限公司", "CNY", "zh", 3, 0.2),
    ("C1007", "杭州西子湖电子商务有限公司", "CNY", "zh", 3, 0.3),
    ("C1008", "南京金陵机械制造有限公司", "CNY", "zh", 3, 0.2),
    ("C1009", "成都天府食品有限公司", "CNY", "zh", 2, 0.2),
    ("C1010", "武汉长江物流有限公司", "CNY", "zh", 3, 0.2),
    ("C1011", "天津滨海化工有限公司", "CNY", "zh", 2, 0.4),
    ("C1012", "重庆山城汽车配件有限公司", "CNY", "zh", 3, 0.7),
    ("C1013", "宁波港联进出口有限公司", "CNY", "zh", 4, 0.2),
    ("C1014", "青岛海韵家电销售有限公司", "CNY", "zh", 2, 0.2),
    ("C1015", "厦门鹭岛纺织品有限公司", "CNY", "zh", 2, 0.2),
    ("C1016", "西安古都文化传媒有限公司", "CNY", "zh", 1, 0.2),
    ("C1017", "无锡太湖精密仪器有限公司", "CNY", "zh", 2, 0.2),
    ("C1018", "东莞华创塑胶制品有限公司", "CNY", "zh", 3, 0.3),
    ("C1019", "合肥新锐光电科技有限公司", "CNY", "zh", 2, 0.2),
    ("C1020", "上海浦江包装材料有限公司", "CNY", "zh", 2, 0.2),
    ("C2001", "Acme Industrial Supplies Ltd.", "USD", "en", 4, 0.2),
    ("C2002", "Pacific Rim Trading Pte. Ltd.", "USD", "en", 3, 0.2),
    ("C2003", "Northwind Components GmbH", "EUR", "en", 2, 0.2),
    ("C2004", "Harbour Logistics Ltd.", "CNY", "en", 2, 0.2),
    ("C2005", "Blue Ocean Foods Inc.", "USD", "en", 2, 0.6),
    ("C2006", "Evergreen Retail Group", "CNY", "en", 3, 0.2),
    ("C2007", "Summit Medical Devices Co.", "USD", "en", 2, 0.2),
    ("C2008", "Lotus Textiles Ltd.", "CNY", "en", 2, 0.2),
    ("C2009", "Golden Bridge Electronics Ltd.", "CNY", "en", 2, 0.2),
    ("C2010", "Sino-Euro Machinery Co., Ltd.", "EUR", "en", 2, 0.2),
)

#: the other names the banks print for a customer
_ALIASES: dict[str, tuple[str, ...]] = {
    "C1001": ("Shanghai Huamei Trading Co., Ltd.", "HUAMEI TRADING"),
    "C1002": ("Huamei Electronics",),
    "C1005": ("Xinda Supply Chain",),
    "C1010": ("Changjiang Logistics",),
    "C1013": ("Ningbo Ganglian Import & Export Co., Ltd.",),
    "C2001": ("ACME IND SUPPLIES",),
    "C2002": ("PACIFIC RIM TRADING",),
    "C2006": ("长青零售集团",),
    "C2008": ("莲花纺织有限公司",),
    "C2009": ("金桥电子有限公司",),
    "C2010": ("中欧机械有限公司",),
}

#: the (account number, bank) the ERP knows of a customer
_ACCOUNTS: dict[str, tuple[tuple[str, str], ...]] = {
    "C1001": (("31001520313050012345", "中国建设银行上海浦东分行"),),
    "C1002": (("1001202309000123456", "中国工商银行上海张江支行"),),
    "C1003": (("32250198843600000321", "中国建设银行苏州工业园区支行"),),
    "C1005": (("755912345610801", "招商银行深圳前海分行"),),
    "C1008": (("0301014210012345", "南京银行城中支行"),),
    "C1013": (("39401001040012345", "中国农业银行宁波北仑支行"),),
    "C2001": (("GB29NWBK60161331926819", "NatWest London"),),
    "C2008": (("6217001234567890123", "中国建设银行绍兴分行"),),
}

#: the credit limits set (in the customer's currency); the others have none
_CREDIT_LIMITS: dict[str, int] = {
    "C1001": 800000,
    "C1002": 500000,
    "C1003": 300000,
    "C1004": 400000,
    "C1005": 1000000,
    "C1012": 150000,
    "C2001": 120000,
}

CUSTOMERS: tuple[DemoCustomer, ...] = tuple(
    DemoCustomer(
        code=code,
        name=name,
        currency=currency,
        language=language,
        aliases=_ALIASES.get(code, ()),
        accounts=_ACCOUNTS.get(code, ()),
        weight=weight,
        slowness=slowness,
        credit_limit=_CREDIT_LIMITS.get(code),
    )
    for code, name, currency, language, weight, slowness in _CUSTOMERS
)

#: (e-mail, role, display name, customer code or None, customer admin, language)
USERS: tuple[tuple[str, str, str, str | None, bool, str], ...] = (
    ("customer@demo.test", "customer", "陈静 (上海华美)", "C1001", True, "zh"),
    ("customer2@demo.test", "customer", "John Miller (Acme)", "C2001", False, "en"),
    ("finance@demo.test", "finance", "王芳 Wang Fang (Finance)", None, False, "zh"),
    ("sales@demo.test", "sales", "李强 Li Qiang (Sales)", None, False, "zh"),
    ("auditor@demo.test", "auditor", "Anna Schmidt (Auditor)", None, False, "en"),
    ("admin@demo.test", "admin", "张伟 Zhang Wei (Admin)", None, False, "zh"),
)
