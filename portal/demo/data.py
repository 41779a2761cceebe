"""The demo business's customers: Chinese and English names, near-namesakes on purpose."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    currency: str = "CNY"
    language: str = "zh"
    aliases: tuple[str, ...] = ()
    #: (account number, bank) the ERP knows
    accounts: tuple[tuple[str, str], ...] = ()
    #: invoices relative weight: big customers buy more often
    weight: int = 3
    #: chance that an overdue invoice is still unpaid (slow payers are higher)
    slowness: float = 0.2
    credit_limit: int | None = None


CUSTOMERS: tuple[DemoCustomer, ...] = (
    # three near-namesakes: the matcher must not confuse them
    DemoCustomer(
        "C1001",
        "上海华美贸易有限公司",
        aliases=("Shanghai Huamei Trading Co., Ltd.", "HUAMEI TRADING"),
        accounts=(("31001520313050012345", "中国建设银行上海浦东分行"),),
        weight=8,
        credit_limit=800000,
    ),
    DemoCustomer(
        "C1002",
        "上海华美电子科技有限公司",
        aliases=("Huamei Electronics",),
        accounts=(("1001202309000123456", "中国工商银行上海张江支行"),),
        weight=5,
        credit_limit=500000,
    ),
    DemoCustomer(
        "C1003",
        "苏州华美贸易有限公司",
        accounts=(("32250198843600000321", "中国建设银行苏州工业园区支行"),),
        weight=4,
        slowness=0.35,
        credit_limit=300000,
    ),
    DemoCustomer("C1004", "北京中科信达科技有限公司", weight=4, credit_limit=400000),
    DemoCustomer(
        "C1005",
        "深圳前海鑫达供应链管理有限公司",
        aliases=("Xinda Supply Chain",),
        accounts=(("755912345610801", "招商银行深圳前海分行"),),
        weight=6,
        credit_limit=1000000,
    ),
    DemoCustomer("C1006", "广州白云山医药贸易有限公司", weight=3),
    DemoCustomer("C1007", "杭州西子湖电子商务有限公司", weight=3, slowness=0.3),
    DemoCustomer(
        "C1008",
        "南京金陵机械制造有限公司",
        accounts=(("0301014210012345", "南京银行城中支行"),),
        weight=3,
    ),
    DemoCustomer("C1009", "成都天府食品有限公司", weight=2),
    DemoCustomer(
        "C1010",
        "武汉长江物流有限公司",
        aliases=("Changjiang Logistics",),
        weight=3,
    ),
    DemoCustomer("C1011", "天津滨海化工有限公司", weight=2, slowness=0.4),
    DemoCustomer("C1012", "重庆山城汽车配件有限公司", weight=3, slowness=0.7, credit_limit=150000),
    DemoCustomer(
        "C1013",
        "宁波港联进出口有限公司",
        aliases=("Ningbo Ganglian Import & Export Co., Ltd.",),
        accounts=(("39401001040012345", "中国农业银行宁波北仑支行"),),
        weight=4,
    ),
    DemoCustomer("C1014", "青岛海韵家电销售有限公司", weight=2),
    DemoCustomer("C1015", "厦门鹭岛纺织品有限公司", weight=2),
    DemoCustomer("C1016", "西安古都文化传媒有限公司", weight=1),
    DemoCustomer("C1017", "无锡太湖精密仪器有限公司", weight=2),
    DemoCustomer("C1018", "东莞华创塑胶制品有限公司", weight=3, slowness=0.3),
    DemoCustomer("C1019", "合肥新锐光电科技有限公司", weight=2),
    DemoCustomer("C1020", "上海浦江包装材料有限公司", weight=2),
    DemoCustomer(
        "C2001",
        "Acme Industrial Supplies Ltd.",
        currency="USD",
        language="en",
        aliases=("ACME IND SUPPLIES",),
        accounts=(("GB29NWBK60161331926819", "NatWest London"),),
        weight=4,
        credit_limit=120000,
    ),
    DemoCustomer(
        "C2002",
        "Pacific Rim Trading Pte. Ltd.",
        currency="USD",
        language="en",
        aliases=("PACIFIC RIM TRADING",),
        weight=3,
    ),
    DemoCustomer("C2003", "Northwind Components GmbH", currency="EUR", language="en", weight=2),
    DemoCustomer("C2004", "Harbour Logistics Ltd.", language="en", weight=2),
    DemoCustomer(
        "C2005", "Blue Ocean Foods Inc.", currency="USD", language="en", weight=2, slowness=0.6
    ),
    DemoCustomer(
        "C2006", "Evergreen Retail Group", language="en", aliases=("长青零售集团",), weight=3
    ),
    DemoCustomer("C2007", "Summit Medical Devices Co.", currency="USD", language="en", weight=2),
    DemoCustomer(
        "C2008",
        "Lotus Textiles Ltd.",
        language="en",
        aliases=("莲花纺织有限公司",),
        accounts=(("6217001234567890123", "中国建设银行绍兴分行"),),
        weight=2,
    ),
    DemoCustomer(
        "C2009",
        "Golden Bridge Electronics Ltd.",
        language="en",
        aliases=("金桥电子有限公司",),
        weight=2,
    ),
    DemoCustomer(
        "C2010",
        "Sino-Euro Machinery Co., Ltd.",
        currency="EUR",
        language="en",
        aliases=("中欧机械有限公司",),
        weight=2,
    ),
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
