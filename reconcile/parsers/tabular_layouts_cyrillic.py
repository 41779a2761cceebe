"""Column names of Russian-language bank exports (Russia, Kazakhstan, Belarus, Kyrgyzstan).

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

The amount in the account's currency is preferred to the amount of the purchase: what the
account moved by is what a statement adds up.
"""

from __future__ import annotations

CYRILLIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "state": ("статус",),
    # VTB and Tinkoff: the currency of the purchase, beside the account's
    "original_currency": ("валюта операции",),
    "booking_date": (
        # Alfa-Bank, VTB, Tinkoff; Sberbank Business
        "дата операции",
        "дата проводки",
        # Tochka, Modulbank
        "дата",
        "дата совершения операции",
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
    ),
    "debit": (
        "расход",
        "списания",
        "списание",
        "списано",
        "сумма по дебету",
        "дебет",
    ),
    "balance": (
        "остаток",
        "исходящий остаток",
        "баланс",
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
    ),
    "counterparty_name": (
        # Tochka, Modulbank; Sberbank Business
        "контрагент",
        "наименование контрагента",
        "корреспондент",
    ),
    "counterparty_account": (
        "счет контрагента",
        "счет корреспондента",
        "счет получателя",
    ),
    "counterparty_bank": (
        "банк контрагента",
        # Sberbank Business
        "банк (бик и наименование)",
    ),
    "counterparty_bank_code": (
        # the Russian bank identifier (БИК)
        "бик банка контрагента",
        "бик контрагента",
        "бик",
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
    ),
    "type": (
        "тип операции",
        "вид операции",
        # Tinkoff: Супермаркеты, Переводы
        "категория",
    ),
}
