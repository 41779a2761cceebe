"""Column names of Russian- and Ukrainian-language bank exports (Russia, Ukraine, Kazakhstan,
Belarus, Kyrgyzstan).

Appended to each role's names in :mod:`.tabular_layouts`, after the Latin ones. Headers are
compared with ``ё`` read as ``е`` (``Счёт`` and ``Счет`` are one word).

- Alfa-Bank: ``Тип счёта;Номер счета;Валюта;Дата операции;Референс проводки;
  Описание операции;Приход;Расход``.
- VTB: ``Номер карты/счета/договора;Дата операции;Дата обработки;Сумма операции;
  Валюта операции;Сумма пересчитанная в валюту счета;Валюта счета;Основание;Статус`` (the
  amount in the account's currency, after the one in the currency of the purchase).
- Tinkoff: ``Дата операции;Дата платежа;Номер карты;Статус;Сумма операции;Валюта операции;
  Сумма платежа;Валюта платежа;…;Категория;MCC;Описание``.
- Sberbank Business and the client-bank statements of most banks (Tochka, Modulbank):
  ``Дата проводки;Счет Дебет;Счет Кредит;Сумма по дебету;Сумма по кредиту;№ документа;
  Банк (БИК и наименование);Назначение платежа`` or ``Дата;Контрагент;ИНН контрагента;
  Счёт контрагента;Банк контрагента;БИК банка контрагента;Приход;Расход;Назначение платежа``.

- Ukraine: monobank's ``Дата i час операції,Деталі операції,MCC,Сума в валюті картки (UAH),
  Сума в валюті операції,Валюта,…,Залишок після операції``; ProCredit's ``…;Дата операції;…;
  Рахунок кореспондента;…;Кореспондент;Номер документа;…;Дебет;Кредит;Призначення платежу``;
  Sense Bank's ``Дата і час;…;Cума списання;Cума зарахування``; Alfa-Bank Ukraine's business
  export (``Наш рахунок;…;Операція`` Дебет or Кредит ``;…;Сума;Валюта``). Some write a Latin
  letter for its Cyrillic twin (``Дата i час``, ``Cума``): both spellings are listed.

The amount in the account's currency is preferred to the amount of the purchase: what the
account moved by is what a statement adds up.
"""

from __future__ import annotations

CYRILLIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "state": ("статус",),
    # VTB and Tinkoff: the currency of the purchase, beside the account's
    "original_currency": ("валюта операции",),
    "original_amount": ("сума в валюті операції",),
    # Alfa-Bank Ukraine's business export: Дебет or Кредит
    "direction": ("операція",),
    "booking_date": (
        # Alfa-Bank, VTB, Tinkoff; Sberbank Business
        "дата операции",
        "дата проводки",
        # Tochka, Modulbank
        "дата",
        "дата совершения операции",
        # Ukrainian: monobank (a Latin i), ProCredit, Sense Bank, Alfa-Bank business
        "дата i час операції",
        "дата і час операції",
        "дата операції",
        "дата і час",
        "дата проведення",
    ),
    "value_date": (
        # VTB: the day the bank processed the card payment
        "дата обработки",
        "дата списания",
        "дата зачисления",
        "дата валютирования",
    ),
    "amount": (
        # the account's currency first (VTB, Tinkoff), then the purchase's
        "сумма в валюте счета",
        "сумма пересчитанная в валюту счета",
        "сумма платежа",
        "сумма",
        "сумма операции",
        # Ukrainian: monobank's amount in the card's currency
        "сума в валюті картки",
        "сума",
    ),
    "credit": (
        # Alfa-Bank, Tochka: Приход; VTB's summary: Поступления
        "приход",
        "поступления",
        "поступление",
        "зачисление",
        "зачислено",
        # Sberbank Business
        "сумма по кредиту",
        "кредит",
        # Ukrainian (Sense Bank writes a Latin C)
        "сума зарахування",
        "cума зарахування",
    ),
    "debit": (
        "расход",
        "списания",
        "списание",
        "списано",
        "сумма по дебету",
        "дебет",
        "сума списання",
        "cума списання",
    ),
    "balance": (
        "остаток",
        "исходящий остаток",
        "баланс",
        "залишок після операції",
        "залишок",
    ),
    "currency": (
        # VTB: the account's currency beside the purchase's (Валюта операции)
        "валюта счета",
        "валюта платежа",
        "валюта",
    ),
    "description": (
        # the client-bank statements' purpose of payment
        "назначение платежа",
        # Alfa-Bank, Tinkoff
        "описание операции",
        "описание",
        # VTB
        "основание",
        "детали операции",
        "комментарий",
        # Ukrainian
        "деталі операції",
        # Sense Bank
        "деталі",
        "призначення платежу",
    ),
    "counterparty_name": (
        # Tochka, Modulbank; Sberbank Business
        "контрагент",
        "наименование контрагента",
        "корреспондент",
        # Ukrainian: ProCredit, Alfa-Bank business
        "кореспондент",
        "найменування контрагента",
    ),
    "counterparty_account": (
        "счет контрагента",
        "счет корреспондента",
        "счет получателя",
        "рахунок кореспондента",
    ),
    "counterparty_bank": (
        "банк контрагента",
        # Sberbank Business
        "банк (бик и наименование)",
        "назва банка",
    ),
    "counterparty_bank_code": (
        # the Russian bank identifier (БИК)
        "бик банка контрагента",
        "бик контрагента",
        "бик",
        # the Ukrainian bank code (МФО)
        "мфо банка",
        "мфо банку контрагента",
    ),
    "bank_ref": (
        # Alfa-Bank
        "референс проводки",
        "номер документа",
        "№ документа",
        "номер операции",
    ),
    "our_account": (
        # Alfa-Bank; VTB names the card, the account or the contract
        "номер счета",
        "номер карты/счета/договора",
        "номер карты",
        # Ukrainian
        "наш рахунок",
        "наш iban",
        "рахунок",
    ),
    "type": (
        "тип операции",
        "вид операции",
        # Tinkoff: Супермаркеты, Переводы
        "категория",
    ),
}
