"""Column names of bank exports from Europe, the Americas, Japan, India, Brazil and Hong Kong.

Appended to each role's names in :mod:`.tabular_layouts` (so they rank after the names listed
there); the same rule holds: a name belongs to one role only. Each entry names the exports it
was found in.
"""

from __future__ import annotations

WORLD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        # CITIC Bank International: Post Date, Trans.Date; 过账日 (traditional 過賬日), 交易日
        "post date",
        "trans.date",
        "过账日",
        "过账日期",
        "過賬日",
        "過賬日期",
        # Amex and John Lewis Partnership card exports
        "date processed",
        # Swedbank (Estonia)
        "kuupäev",
        # Japanese banks (MUFG, SMBC, Mizuho, Rakuten, Japan Post)
        "日付",
        "取引日",
        "お取引日",
        "年月日",
        "利用日",
        "ご利用日",
        # Taiwanese card statements (Cathay's 消費日, CTBC's 交易日)
        "消费日",
        "消费日期",
        # Maybank's statements: ENTRY DATE | VALUE DATE | TRANSACTION DESCRIPTION
        "entry date",
        # US statements' check tables (Chase, Bank of America): Check No. | Date Paid | Amount
        "date paid",
        # HDFC, SBI; Banco Inter
        "txn date",
        "data lançamento",
        # Stripe's balance exports: created (UTC), available on (UTC)
        "created",
        "created utc",
        # Venmo
        "datetime",
        # Vivid Money, Revolut Business; SumUp
        "completed date",
        "datum der transaktion",
    ),
    "value_date": (
        # Sparkasse and other German card statements: the day of the purchase (Belegdatum)
        # beside its booking (Buchungsdatum); Rabobank and bunq: Rentedatum
        "belegdatum",
        "rentedatum",
        # Sparkasse, Deutsche Bank and Commerzbank PDF statements (Kontoauszug)
        "wert",
        # Sparda-Bank
        "wertstellungstag",
        # HDFC
        "value dt",
        # Stripe: when the money is available in the balance
        "available on",
        "available on utc",
        # PostFinance (French)
        "valeur",
    ),
    "amount": (
        # Sparda-Bank
        "umsatz",
        # Finom, Vivid Money, Sparkasse card statements: the amount booked on the account
        # (beside Ursprungsbetrag/Originalbetrag, the one in the currency paid)
        "buchungsbetrag",
        "zahlungsbetrag",
        "payment amount",
        # PayPal in German and Spanish: the net after the fee moves the PayPal balance
        "netto",
        "neto",
        # Swedbank (Estonia)
        "summa",
        # Japanese banks: Rakuten's signed 入出金(円), card exports' 利用金額
        "入出金",
        "入出金額",
        "取引金額",
        "金額",
        "利用金額",
        "ご利用金額",
        # Taiwanese card statements: CTBC's 消費金額 (Cathay's beside 新臺幣金額 is the amount in
        # the currency of the purchase, ranked after it)
        "消费金额",
        # Nubank, Banco Inter
        "valor",
    ),
    "credit": (
        # SumUp: the payment coming in (Rechnungsbetrag: the amount invoiced, ranked after it)
        "zahlungsbetrag eingehend",
        "rechnungsbetrag eingehend",
        # Dutch PDF statements (ING, Rabobank): Datum | Omschrijving | Af | Bij
        "bij",
        # PostFinance: Gutschrift in CHF, Accredito in CHF (German, Italian)
        "gutschrift",
        "accredito",
        # Japanese banks
        "預かり金額",
        "お預り金額",
        "お預かり金額",
        "お預入金額",
        "お預入れ金額",
        "お預入れ",
        "預入れ金額",
        "預入金額",
        "入金",
        "入金金額",
        "受入金額",
        # HDFC
        "deposit amt.",
        "deposit amount",
    ),
    "debit": (
        "zahlungsbetrag ausgehend",
        "rechnungsbetrag ausgehend",
        # PostFinance: Lastschrift in CHF, Addebito in CHF (German, Italian)
        "lastschrift",
        "addebito",
        # Dutch PDF statements: Af | Bij
        "af",
        # Japanese banks
        "支払い金額",
        "お支払金額",
        "お引出金額",
        "お引出し金額",
        "お引出し",
        "引出金額",
        "出金",
        "出金金額",
        "払出金額",
        "払出し金額",
        # HDFC
        "withdrawal amt.",
        "withdrawal amount",
    ),
    "direction": (
        # Swedbank (Estonia): D or K
        "deebet/kreedit",
        # MUFG: 入金 or 出金
        "入払区分",
        "入出金区分",
    ),
    "balance": (
        # Rabobank: the balance after the entry; PayPal (German)
        "saldo na trn",
        "guthaben",
        # Hong Kong banks: 结余/結餘 (CITIC Bank International), 餘額 in traditional script
        "结余",
        "結餘",
        "餘額",
        # Maybank's statements: TRANSACTION AMOUNT | STATEMENT BALANCE
        "statement balance",
        # Japanese banks
        "残高",
        "差引残高",
        "取引後残高",
        "お取引後残高",
        # HDFC
        "closing balance",
    ),
    "currency": (
        # Vivid Money; Finom and SumUp; Sparkasse card statements
        "payment currency",
        "zahlungswährung",
        "buchungswährung",
        # Swedbank (Estonia)
        "valuuta",
    ),
    "description": (
        # George (Erste Bank, Austrian savings banks): the entry's text
        "buchungs-info",
        # DKB's card statements (old and new), Sparkasse's card statements, check24
        "beschreibung",
        "umsatzbeschreibung",
        "transaktionsbeschreibung",
        "transaktionsbeschreibung zusatz",
        # GLS and other Volksbank exports: the purpose in lines of 27 characters
        *(f"vwz{line}" for line in range(1, 15)),
        # Rabobank: the remittance information in three columns
        "omschrijving-1",
        "omschrijving-2",
        "omschrijving-3",
        # PayPal (German): the subject; Outbank: the reason of the payment
        "betreff",
        "reason",
        # ING Spain's app export
        "desc",
        # Neon (Switzerland): the payment's message, beside the other party's name
        "subject",
        # CITIC Bank International: 账项资料 (traditional 賬項資料)
        "账项资料",
        "賬項資料",
        # N26 (English, French), Wise
        "payment reference",
        "référence de paiement",
        # Swedbank (Estonia)
        "selgitus",
        # Actual Budget, Starling; Monzo's "Notes and #tags"
        "notes",
        "notes and #tags",
        # the payer's own end-to-end reference of a SEPA transfer (Sparkasse's "Kundenreferenz
        # (End-to-End)", DKB's "Kundenreferenz"): where an invoice number stands when the payer
        # wrote one; a placeholder (NOTPROVIDED) is read as empty
        "kundenreferenz",
        # Japanese banks
        "お取引内容",
        "取引内容",
        "お取り扱い内容",
        "入出金内容",
        "入出金先内容",
        # HDFC, ICICI; Nubank, Banco Inter
        "narration",
        "transaction remarks",
        "descrição",
        "histórico",
        # Zürcher Kantonalbank (ZKB): the entry's text and the payer's message
        "booking text",
        "payment purpose",
        # PostFinance's entry text in its four languages
        "avisierungstext",
        "notification text",
        "texte de notification",
        "testo di avviso",
        # PayPal's activity download; hledger's French sample
        "item title",
        "remarque",
        # Venmo: the payer's message
        "note",
    ),
    "counterparty_name": (
        # KBC's card statement: the merchant (Handelaar)
        "handelaar",
        # Volksbanks (VR): Name/IBAN/BIC (SWIFT-Code) Zahlungsbeteiligter
        "name zahlungsbeteiligter",
        # Wise: the card merchant (its payer and payee columns are payer_name/payee_name)
        "merchant",
        # HSBC Hong Kong's card export
        "merchant name",
        # N26 (French)
        "bénéficiaire",
        # Swedbank (Estonia)
        "saaja/maksja",
        # MUFG: 摘要 is the kind of entry, 摘要内容 the name; Japan Post: 詳細2
        "摘要内容",
        "詳細2",
        # Japanese card statements: the shop the card was used at
        "利用店名・商品名",
        "ご利用店名・商品名",
        "利用店名",
        "ご利用店名",
        # Taiwanese card statements (CTBC)
        "商店",
    ),
    "bank_ref": (
        "buchungsreferenz",
        # Finom; PayPal in German
        "transaktions-id",
        "transaktionscode",
        # US statements' check tables: the check's number
        "check no.",
        "check number",
        "cheque no.",
        # ICICI (India): Cheque Number
        "cheque number",
        "cheque no",
        # Bank of America's check table: Date | Check # | Amount
        "check #",
        # Wise
        "transferwise id",
        # Swedbank (Estonia)
        "arhiveerimistunnus",
        # Japan Post
        "入出金明細ID",
        # HDFC; Nubank
        "chq./ref.no.",
        "identificador",
        # Stripe
        "balance transaction id",
    ),
    "our_account": (
        # Rabobank: our account beside Tegenrekening IBAN/BBAN
        "iban/bban",
        # Volksbanks: IBAN Auftragskonto; Commerzbank names our account Auftraggeberkonto
        "iban auftragskonto",
        "iban auftraggeberkonto",
        "auftraggeberkonto",
        # Swedbank (Estonia)
        "kliendi konto",
    ),
    "counterparty_account": (
        "tegenrekening iban/bban",
        # Finom
        "counterparty iban",
        "iban zahlungsbeteiligter",
        # Erste Bank / Sparkassen Austria (George): Partner IBAN, Partner Kontonummer
        "partner iban",
        "partner kontonummer",
        # Postbank
        "iban / kontonummer",
    ),
    "counterparty_bank": ("bic (swift-code) zahlungsbeteiligter", "partner bic"),
    # Wise fills Payer Name on money in and Payee Name (with its account) on money out
    "payer_name": (
        # DKB since 2023: Zahlungspflichtige*r and Zahlungsempfänger*in, one of them the holder
        "zahlungspflichtige*r",
        "payer name",
        # Venmo: From and To name both parties, one of them the holder
        "from",
        # Japanese banks: the remitter of a transfer in
        "振込依頼人名",
        "振込依頼人",
    ),
    "payee_name": ("payee name", "to", "zahlungsempfänger*in", "zahlungsempfänger"),
    # HSBC Hong Kong's card export: POSTED or PENDING
    "state": (
        "transaction status",
        # German savings banks' CSV-CAMT export: "Umsatz gebucht" or "Umsatz vorgemerkt"
        "info",
    ),
    "payee_account": ("payee account number",),
    "type": (
        # Japan Post: 詳細1 is the kind of entry
        "詳細1",
        # Stripe: charge, refund, fee, payout...
        "reporting category",
    ),
    # Monzo: the amount in the currency paid abroad
    # PayPal in German and Spanish
    "fee": ("entgelt", "comisión"),
    "original_amount": ("local amount", "originalbetrag", "ursprungsbetrag"),
    "original_currency": ("local currency", "originalwährung", "ursprungswährung"),
}
