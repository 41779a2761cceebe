"""What can be wrong with a bank file, as codes with parameters and their English sentences.

A parse error or warning is a :class:`Problem`: a ``str`` holding the English sentence the CLI
prints and writes to its JSON output (``"row 5: amount 'x' is not a number"``), which also
carries the stable code of :data:`PROBLEMS`, the values the sentence names and where in the file
it happened. The portal renders the code and parameters through its catalogue in the reader's
language, so no sentence for a user is composed here in any other language. A code missing from
this table, or parameters that do not fit its sentence, fail when the problem is made.

A location (``line 12``, ``page 2, receipt 1``) is a :class:`Problem` too, so the portal can
name the place in the reader's language as well.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

#: every code the parsers emit, with its English template (``str.format`` fields)
PROBLEMS: dict[str, str] = {
    # where in the file
    "at_line": "line {line}",
    "at_row": "row {row}",
    "at_page": "page {page}",
    "at_receipt": "page {page}, receipt {receipt}",
    "at_page_row": "page {page}, row {row}",
    "at_statement": "statement {statement}",
    "at_statement_ref": "statement {statement} (:20: {ref})",
    "at_statement_account": "statement {statement} ({id}, account {account})",
    "at_line_account": "line {line}, account {account}",
    "at_entry": "entry {entry}",
    "at_statement_entry": "statement {statement}, entry {entry}",
    "at_statement_balance": "statement {statement}, {kind} (:{tag}:)",
    "at_transaction": "transaction {transaction}",
    "at_transaction_id": "transaction {transaction} (FITID {fitid})",
    # any format
    "not_bank_file": (
        "not a bank file Concord reads (PDF receipt or statement, CAMT.052/053/054, MT940/MT942, "
        "OFX/QFX/OFC, BAI2, CSV, XLS or XLSX export)"
    ),
    "format_changed": "format changed between detection and parsing ({format})",
    "cannot_read": "cannot read: {detail}",
    "parser_failed": "could not be parsed ({detail})",
    "parser_crashed": "parser failed: {detail}",
    "parser_died": (
        "the parser process died (exit code {code}): the file is probably hostile or exceeded "
        "the memory limit"
    ),
    "nested_too_deeply": "structure nested too deeply",
    "amount_not_number": "amount {value!r} is not a number",
    "entry_left_out": "{reason}; the entry is left out, the rest of the file is read",
    "balance_left_out": "{reason}; the balance is left out",
    "value_date_left_out": "{reason}; the value date is left out",
    "original_amount_left_out": "{reason}; the original amount is left out",
    "date_does_not_exist": "date {value!r} does not exist",
    # balances that do not add up (reconcile.balances)
    "balance_mismatch": (
        "the balances do not add up: opening balance {opening_code} {opening} and the entries "
        "({movement}) make {expected}, but the closing balance {closing_code} is {closing} "
        "{currency} (difference {difference}): entries are missing, duplicated or read with "
        "the wrong sign"
    ),
    "balance_carry_over": (
        "the statement does not go on where its previous part ended: closing balance "
        "{closing_code} {closing}, then opening balance {opening_code} {opening} {currency} "
        "(difference {difference}): a part of the statement is missing"
    ),
    "running_balance_mismatch": (
        "the running balance does not add up at this row: the balance before, {before}, and the "
        "amount ({movement}) make {expected}, but the row shows {balance} {currency} (difference "
        "{difference}): a row is missing, duplicated or read with the wrong sign"
    ),
    "control_total_mismatch": (
        "the {record} record's control total {stated} is not the sum of the amounts it covers, "
        "{computed} (difference {difference}, in minor units): records are missing or damaged"
    ),
    "record_count_mismatch": (
        "the {record} record states {stated} records, but {counted} were read (difference "
        "{difference}): records are missing or were added"
    ),
    "entry_totals_mismatch": (
        "the :{tag}: field states {stated_count} entries of {stated_total} {currency}, but the "
        "report holds {count} entries of {total} (difference {difference}): entries are missing "
        "or duplicated"
    ),
    "camt_entries_other_currency": (
        "{count} entries of {total} {currency} on a statement whose balances are in "
        "{balances}: they are in no balance check"
    ),
    "camt_summary_count_mismatch": (
        "the statement's summary ({part}) states {stated_count} entries, but the statement "
        "holds {count} (in several currencies, so their amounts are not added up): entries "
        "are missing or duplicated"
    ),
    "camt_summary_mismatch": (
        "the statement's summary ({part}) states {stated_count} entries of {stated_total} "
        "{currency}, but the statement holds {count} entries of {total} (difference "
        "{difference}): entries are missing or duplicated"
    ),
    # limits
    "file_too_large": "file is {size} bytes, more than the limit of {limit}",
    "file_larger_than": "file larger than {limit} bytes",
    "file_is_larger_than": "file is larger than {limit} bytes",
    "too_many_transactions": "more than {limit} transactions",
    "too_many_rows": "more than {limit} rows",
    "too_many_pages": "{pages} pages, more than the limit of {limit}",
    "too_slow": "took longer than {seconds} s",
    "too_much_memory": "exceeded memory limit ({megabytes} MB)",
    "out_of_memory": "exceeded memory limit",
    # ZIP archives
    "zip_broken": "broken ZIP archive: {detail}",
    "zip_empty": "ZIP archive without any file",
    "archive_too_many": "{what} with {count} members, more than {limit}",
    "archive_truncated": (
        "an incomplete {what} ({size} bytes, its end is missing): the download or upload was "
        "cut short; download it again"
    ),
    "archive_too_large": "{what} unpacks to {size} bytes, more than the limit of {limit}",
    "zip_nested": "ZIP archives inside a ZIP archive are not opened",
    "zip_encrypted": "encrypted ZIP member: cannot be read",
    "zip_bomb": "decompression bomb: {packed} bytes unpack to {size}",
    "zip_member_broken": "damaged inside the ZIP archive, cannot be unpacked: {detail}",
    "zip_member_grows": "ZIP member unpacks to more than its declared {size} bytes",
    "at_ofx_balance": "{kind} balance",
    "at_balance": "balance {kind}",
    # OFX
    "ofx_server_error": (
        "the bank's OFX server returned error {code} ({message}) instead of a statement"
    ),
    "ofx_no_statement": "OFX file without any statement (STMTRS/CCSTMTRS/INVSTMTRS)",
    "ofx_doctype": "OFX with a DOCTYPE or entity declaration is refused",
    "ofx_no_root": "no <OFX> element: not an OFX file",
    "ofx_truncated": "truncated OFX file (no closing </OFX>)",
    "ofx_too_deep": "OFX nested deeper than {limit} levels",
    "ofx_too_many_elements": "more than {limit} OFX elements",
    "ofx_no_currency": "the statement states no currency (empty CURDEF): set a default currency",
    "ofx_no_account": (
        "the statement names no account (no {element} with an ACCTID): its transactions are read "
        "without our account; check that the bank's download is complete"
    ),
    "ofx_no_transaction_list": (
        "the statement has no transaction list ({element}): no transactions are read from it; "
        "download the statement again with its transactions"
    ),
    "ofx_no_amount": "transaction without TRNAMT",
    "ofx_no_posted": "transaction without DTPOSTED (posting date)",
    "ofx_other_currency": "transaction in {currency}, statement in {statement}",
    "ofx_bad_date": "date {value!r} is not an OFX date (YYYYMMDD...)",
    "ofx_null_amount": "transaction whose amount is 'null' (no money moved): left out",
    "ofx_replaced": "transaction {fitid} left out: the bank's correction {by} replaces it",
    "ofx_deleted": "transaction {fitid} left out: the bank's correction {by} deletes it",
    "ofx_corrects_earlier": (
        "the bank's correction {by} replaces or deletes transaction {fitid}, which is not in this "
        "file: check it where an earlier download was imported"
    ),
    "ofx_investment_only": (
        "investment statement without bank transactions ({count} security transactions such as "
        "buys and sells): not a bank or credit card statement"
    ),
    "ofx_securities_left_out": (
        "{count} security transactions ({kinds}) left out: only the investment account's bank "
        "transactions (INVBANKTRAN) are read"
    ),
    # OFC (Microsoft Money's format before OFX)
    "ofc_truncated": "truncated OFC file (no closing </OFC>)",
    "ofc_no_statement": (
        "OFC file (Microsoft Money's format before OFX) without any statement (STMTRS)"
    ),
    "ofc_no_currency": (
        "an OFC file (Microsoft Money's format before OFX) names no currency: set a default "
        "currency, or download the statement as OFX instead"
    ),
    "ofc_currency_assumed": (
        "the OFC file names no currency: its amounts are read as {currency}, the default currency"
    ),
    # any format that can fall back on the default currency (OFC keeps its older code above)
    "currency_assumed": (
        "the file names no currency: its amounts are read as {currency}, the default currency"
    ),
    # a CSV or XLSX export whose dates all read either way (05/03/2024) and fall in no order
    "date_order_assumed": (
        "dates such as {value!r} read either way and nothing in the file says which: they are "
        "read day first ({read}); if the bank writes the month first, read the file with "
        "--monthfirst (--dayfirst to keep this order without the warning)"
    ),
    "at_details": "transaction details",
    "amount_not_positive": "amount {value!r} is not a positive number",
    # XML
    "xml_doctype": "XML with a DOCTYPE is refused (entities and DTDs are not allowed)",
    "xml_malformed": "not well-formed XML: {detail}",
    "xml_unreadable": "unreadable XML: {detail}",
    "xml_empty": "empty XML document",
    # camt
    "camt_no_message": "camt.05{kind} document without its {element} message element",
    "camt_no_records": "invalid camt.05{kind} document: no <{element}> element",
    "camt_not_camt": "not an ISO 20022 camt document (root element <{root}>)",
    "camt_namespace": (
        "unsupported XML namespace {namespace!r}: expected "
        "urn:iso:std:iso:20022:tech:xsd:camt.052/053/054.001.02 to .001.14"
    ),
    "camt_version": "camt.05{kind}.001.{version} is not supported (001.02 to 001.14 are)",
    "camt_value_date_used": "no booking date: the value date is used",
    "camt_creation_date_used": "no booking or value date: the message creation date is used",
    "camt_period_end_used": (
        "no booking or value date: the last day of the statement's period ({date}) is used"
    ),
    "camt_closing_date_used": (
        "no booking or value date: the day of the statement's closing balance ({date}) is used"
    ),
    "camt_no_namespace": (
        "the file names no camt version (its Document has no XML namespace): read as "
        "camt.05{kind} by its <{element}> element"
    ),
    "camt_not_utf8": (
        "the file is declared UTF-8 but is not: its text was read as Windows-1252 (Western "
        "European), check names with accents"
    ),
    "payment_returned": (
        "{amount} {currency} returned to {party} ({mark}): a customer's payment taken back "
        "(returned direct debit, chargeback, returned transfer or cheque); the invoice it paid "
        "may be owed again"
    ),
    "payment_returned_unnamed": (
        "{amount} {currency} returned ({mark}), the bank names no party: a customer's payment "
        "taken back (returned direct debit, chargeback, returned transfer or cheque); the "
        "invoice it paid may be owed again"
    ),
    "camt_no_date": "entry without any date",
    "camt_not_booked": "entry status {status} (not booked)",
    "camt_batch_kept": (
        "batch of {count} transactions whose amounts do not add up to the booked {amount}: kept "
        "as one transaction"
    ),
    "camt_batch_incomplete": (
        "a batch of {count} payments of which the file details only {listed}: the booked "
        "{amount} is kept as one transaction, without the parties or text of the listed ones "
        "(they do not account for the whole)"
    ),
    "camt_bad_indicator": "CdtDbtInd is {value}, expected CRDT or DBIT",
    "camt_no_currency": (
        "no currency in the file (no Ccy on the amount or the account): set a default currency "
        "for this account"
    ),
    "camt_bad_date": "date {value!r} is not an ISO date",
    "too_many_entries": "{count} entries, more than the limit of {limit}",
    # MT940
    "mt940_empty": "no MT940 statement lines (:61:) or balances found",
    "mt940_fragment": (
        "a fragment of an MT940 statement, not a whole one: it holds {found} but no {missing}"
    ),
    "mt940_bad_field": "unreadable MT940 field :{tag}: {value!r}",
    "mt940_bad_amount": "unreadable MT940 field (an amount that is not a number)",
    "mt940_unreadable": "unreadable MT940 field ({detail})",
    "mt940_no_month": "entry {entry}: value date {date} has no month {month}",
    "mt940_bad_value_date": "entry {entry}: value date {date} is not a calendar date",
    "mt940_february": "value date {date} is not a calendar date; read as {read}",
    "mt940_date_of_balance": (
        "value date {date} is not a date; read as {read}, the date of the balance :{tag}:"
    ),
    "mt940_entry_date_left_out": (
        "entry date {date} is not a calendar date; read as the value date {read}"
    ),
    "mt940_balance_date": "balance date {date} is not a calendar date; read as {read}",
    "mt940_bad_entry_date": "entry {entry}: entry date {date} is not a calendar date",
    "mt940_no_amount": "entry without an amount",
    "mt940_no_currency": "the statement states no currency (no :60F: balance)",
    "mt940_no_value_date": "entry without a value date",
    "mt940_outside_statement": (
        "an entry after the end of statement {statement} (its closing balance and the end mark "
        "after it), outside any statement: read with that statement's account and currency, "
        "not counted in its balances"
    ),
    # CSV, XLS, XLSX and HTML exports
    "not_encoding": "not {encoding} text: {detail}",
    "binary_data": "binary data (NUL bytes), not a text export",
    "unknown_encoding": "text in an unknown encoding (tried UTF-8, UTF-16 with BOM, GB18030)",
    "csv_malformed": "malformed CSV: {detail}",
    "html_unreadable": "not a readable HTML table: {detail}",
    "xlsx_unreadable": "not a readable XLSX workbook: {detail}",
    "xlsx_bomb": (
        "XLSX member {member} is compressed {ratio}:1, more than the limit of {limit}:1 "
        "(decompression bomb?)"
    ),
    "xls_unreadable": (
        "an Office file that is not a readable Excel 97-2003 workbook ({detail}); save it as "
        ".xlsx or CSV (without a password)"
    ),
    "xls_damaged": "a damaged .xls workbook ({detail})",
    "spreadsheet_index": (
        "an Excel XML spreadsheet with a row or cell index {value!r} outside 1 to {limit}"
    ),
    "export_no_currency": "the export states no currency",
    "too_many_rows_of": "{count} rows, more than the limit of {limit}",
    "date_unreadable": "date {value!r} is not readable",
    "no_date": "no date",
    "date_format_mismatch": "date {value!r} does not match {format}",
    "bad_direction_mark": "debit/credit mark {value!r} not understood",
    "direction_mark_conflict": (
        "the amount {amount} is signed against its debit/credit mark {mark!r}: the sign is kept;"
        " check whether the row is a reversal"
    ),
    "layout_incomplete": (
        "layout {layout!r} matches the header but its date or amount column is missing; columns "
        "found: {columns}"
    ),
    "unknown_layout": (
        "unknown CSV/XLSX layout: no row names a date column and an amount (or debit and "
        "credit) column, and no layout mapping fits; columns found: {columns}"
    ),
    "unknown_layout_no_columns": (
        "unknown CSV/XLSX layout: no row names a date column and an amount (or debit and "
        "credit) column, and no layout mapping fits; columns found: none"
    ),
    "tabular_all_left_out": (
        "no entry read: each of the {count} rows under the header was left out ({first}); "
        "check that the file is the account's statement and its columns are the ones meant"
    ),
    "tabular_not_booked": (
        "{count} row(s) left out because their state books nothing ({states}); "
        "their row numbers: {rows}"
    ),
    "unknown_layout_headerless": (
        "unknown CSV/XLSX layout: the file has no header row (its rows begin {columns}) and its "
        "columns cannot be told apart by their values alone; map them once and the mapping is "
        "used for this account's later files"
    ),
    "our_account_payee": (
        "our account is the payee: read as a credit although the amount says otherwise"
    ),
    "our_account_payer": (
        "our account is the payer: read as a debit although the amount says otherwise"
    ),
    "sign_inverted": (
        "debit/credit read the other way round: only then does the running balance add up"
    ),
    "excel_rounded": (
        "{value} is left out: Excel rounded the number when the file was opened and saved in it;"
        " download the file from the bank again to keep it"
    ),
    "split_amount_negative": (
        "read as the other side: the amount stands negative in its debit or credit column (a"
        " reversal) and the running balance moves that way"
    ),
    "sign_inverted_charges": (
        "debit/credit read the other way round: the export counts charges positive and"
        " refunds or repayments negative, as card statements do"
    ),
    "sign_unsigned_charges": (
        "read as a charge: the card export writes its amounts without a sign, and only refunds"
        " and repayments are money in"
    ),
    # PDF receipts
    "pdf_unreadable": "not a readable PDF ({detail})",
    "pdf_encrypted": "encrypted PDF: it needs a password to open",
    "pdf_truncated": (
        "an incomplete PDF ({size} bytes, its end is missing): the download or upload was cut "
        "short; download it from the bank again"
    ),
    "pdf_no_receipt": (
        "no bank receipt found (no part of the PDF names a payer or payee with an amount)"
    ),
    "pdf_statement_no_table": (
        "a PDF account statement whose transaction table cannot be read: no line names a date "
        "column and an amount (or debit and credit) column; columns found: {columns}"
    ),
    "pdf_not_bank_document": (
        "no bank file: {mark!r} marks an invoice or a statement sent to a customer (a due date, "
        "a quantity or a tax column, an invoice title), not a bank's receipt or statement"
    ),
    "pdf_statement_date_no_year": (
        "a PDF account statement prints its dates without a year ({date!r}) and no statement "
        "period or date above its table gives the year"
    ),
    "pdf_statement_assumed_cny": (
        "no currency printed on the statement; amounts read as CNY (a Chinese statement)"
    ),
    "pdf_bad_page": "unreadable page ({detail})",
    "pdf_scanned": "no text layer (scanned image); OCR the file or ask the bank for a text PDF",
    "pdf_no_unicode": (
        "text layer cannot be decoded (its fonts have no Unicode mapping); treat it as a "
        "scanned image"
    ),
    "pdf_no_amount": "receipt names a payer or payee but no amount",
    "pdf_no_currency": (
        "no currency on the receipt (no 币种/Currency, no sign or code on the amount)"
    ),
    "pdf_no_date": "no date on the receipt",
    "pdf_no_reference": "no bank reference (交易流水号/Reference) on the receipt",
    "pdf_words_unreadable": "大写 amount {value!r} could not be read",
    "pdf_receipt_no_amount": "no amount on the receipt",
    "pdf_words_only": "amount read from the 大写 words only: no figures on the receipt",
    "pdf_bad_amount": "unreadable amount {value!r}",
    "pdf_words_disagree": "大写 amount {words} = {amount} disagrees with the figures {figures}",
    "pdf_currency_disagrees": "currency {stated} disagrees with the amount's {on_amount}",
    "pdf_assumed_cny": "no currency printed on the receipt; assumed CNY (Chinese receipt)",
    "pdf_ambiguous_date": "date {value!r} is ambiguous: read as day/month (no other date says)",
    "pdf_bad_date": "unreadable date {value!r}",
    "pdf_both_own_words": (
        "both payer and payee are our own accounts; direction {direction} taken from the "
        "receipt's own words"
    ),
    "pdf_both_own_assumed": (
        "both payer and payee are our own accounts and the receipt does not say; assumed credit "
        "(money in)"
    ),
    "pdf_neither_own_words": (
        "neither payer nor payee is one of our accounts or names; direction {direction} taken "
        "from the receipt's own words"
    ),
    "pdf_neither_own_assumed": (
        "neither payer nor payee is one of our accounts or names and the receipt does not say; "
        "assumed credit (money in)"
    ),
    "pdf_sides_no_direction": (
        "the receipt names its own side and the other side (本方/对方) but not which way the "
        "money went (借贷标志); assumed the other side paid (credit)"
    ),
    # BAI2
    "bai2_no_header": "a BAI2 file starts with a 01 file header record, found {found}",
    "bai2_truncated": "no 99 file trailer: the file is truncated",
    "bai2_88_alone": "88 continuation without a record to continue",
    "bai2_after_99": "record {record} after the 99 file trailer",
    "bai2_second_01": "a second 01 file header",
    "bai2_49_without_03": "49 account trailer without a 03 account record",
    "bai2_98_without_group": "98 group trailer without a complete group",
    "bai2_99_in_group": "99 file trailer inside an open group (no 98)",
    "bai2_02_before_98": "02 group header before the previous group's 98 trailer",
    "bai2_02_short": "02 group header with fewer than 4 fields",
    "bai2_03_outside": "03 account record outside a group (no 02 header)",
    "bai2_03_before_49": "03 account record before the previous account's 49 trailer",
    "bai2_03_no_account": "03 account record without an account number",
    "bai2_16_outside": "16 detail record outside an account (no 03 record)",
    "bai2_16_short": "16 detail record with fewer than 3 fields",
    "bai2_16_no_amount": "16 detail record (type {type}) without an amount: left out",
    "bai2_funds_d": "funds type D without a distribution count ({count!r})",
    "bai2_funds_unknown": "unknown funds type {funds!r}: read as immediate availability",
    "bai2_custom_code": "bank-defined type code {type}: {direction} taken from the text",
    "bai2_non_monetary": "type code {type} (non-monetary information): left out",
    "bai2_invalid_code": "type code {type!r} is not a BAI2 type code: entry left out",
    "bai2_not_money": (
        "type code {type} ({kind} code) is neither a credit (100-399) nor a debit (400-699): "
        "entry left out"
    ),
    "bai2_bad_amount": "amount {value!r} is not a whole number of minor units",
    "bai2_bad_as_of": "as-of date {value!r} is not a YYMMDD date",
    "bai2_bad_value_date": "value date {value!r} is not a YYMMDD date",
    "bai2_accounts_mismatch": (
        "the 98 group trailer states {stated} accounts, but the group holds {counted} "
        "(difference {difference}): accounts are missing or were added"
    ),
    "bai2_groups_mismatch": (
        "the 99 file trailer states {stated} groups, but the file holds {counted} (difference "
        "{difference}): groups are missing or were added"
    ),
    # amounts and dates in exports
    "amount_empty": "empty amount",
    "not_amount": "not an amount: {value!r}",
    "amount_two_separators": "not an amount (two decimal separators): {value!r}",
    "amount_bad_grouping": "not an amount (bad digit grouping): {value!r}",
    "amount_mixed_grouping": "not an amount (mixed grouping): {value!r}",
    "not_date": "not a date: {value!r}",
    "not_date_because": "not a date: {value!r} ({detail})",
    "not_date_month": "not a date (unknown month {month!r}): {value!r}",
    "bad_layout": "bad layout mapping: {detail}",
}


def fields(template: str) -> frozenset[str]:
    """Return the names of the ``{fields}`` of ``template``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _check(code: str, params: Mapping[str, str]) -> str:
    template = PROBLEMS.get(code)
    if template is None:
        raise ValueError(f"unknown problem code {code!r}")
    if fields(template) != set(params):
        raise ValueError(f"problem {code!r} takes {sorted(fields(template))}")
    return template.format(**params)


class Problem(str):
    """A problem's English sentence that also carries its code, values and place in the file.

    The string is ``"file, location: sentence"`` (each part only when known), exactly what the
    engine wrote before problems had codes, so the CLI's text and JSON stay as they were.
    """

    code: str
    params: dict[str, str]
    file: str | None
    location: str | None

    def __new__(
        cls,
        code: str,
        params: Mapping[str, object] | None = None,
        file: str | None = None,
        location: str | None = None,
    ) -> Problem:
        # a parameter may itself be a problem (the reason an entry was left out): it keeps
        # its code, so a reader in another language gets it translated too
        values = {
            str(k): Problem(v.code, v.params) if isinstance(v, Problem) else str(v)
            for k, v in (params or {}).items()
        }
        sentence = _check(code, values)
        where = ", ".join(p for p in (file, location) if p)
        self = super().__new__(cls, f"{where}: {sentence}" if where else sentence)
        self.code, self.params, self.file, self.location = code, values, file, location
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # a pdf parses in a child process: its problems cross the pipe with their codes
        return (Problem, (self.code, self.params, self.file, self.location))

    @property
    def sentence(self) -> str:
        """The English sentence without the file and location."""
        return PROBLEMS[self.code].format(**self.params)

    def at(self, *, file: str | None = None, location: str | None = None) -> Problem:
        """Return this problem placed in ``file`` at ``location`` (kept where not given)."""
        return Problem(self.code, self.params, file or self.file, location or self.location)

    def to_json(self) -> dict[str, Any]:
        """Return ``{"text", "code", "params", "file", "location"}`` (the location as
        ``{"text", "code", "params"}`` when it is coded too)."""
        return {
            "text": str(self),
            "code": self.code,
            "params": _json_params(self.params),
            "file": self.file,
            "location": describe(self.location),
        }


def problem(code: str, /, **params: object) -> Problem:
    """Return the problem ``code`` with ``params`` (each turned into text)."""
    return Problem(code, params)


def describe(value: str | None) -> dict[str, Any] | None:
    """Return a problem, location or plain message as JSON for a reader in another language:
    a plain (uncoded) string is ``{"text": value}``; None stays None."""
    if value is None:
        return None
    if isinstance(value, Problem):
        if value.file is None and value.location is None:
            return {"text": str(value), "code": value.code, "params": _json_params(value.params)}
        return value.to_json()
    return {"text": str(value)}


def _json_params(params: Mapping[str, str]) -> dict[str, Any]:
    """The parameters as JSON: a nested problem as ``{"text", "code", "params"}``."""
    return {k: describe(v) if isinstance(v, Problem) else v for k, v in params.items()}


#: the place an entry's ``source`` names (``file#line=12``, ``file#statement=1/entry=3``), by
#: the kinds it names, as the coded location the readers use
_PLACES = {
    ("line",): "at_line",
    ("row",): "at_row",
    ("page",): "at_page",
    ("entry",): "at_entry",
    ("transaction",): "at_transaction",
    ("statement",): "at_statement",
    ("entry", "statement"): "at_statement_entry",
    ("page", "row"): "at_page_row",
    ("page", "receipt"): "at_receipt",
}


def source_place(source: str | None) -> str:
    """The place in its file that a transaction's ``source`` names (``export.csv#row=3`` →
    ``row 3``; a PDF's ``#page=2/1`` → ``page 2, receipt 1``), coded where the parser wrote
    known kinds, so that the portal says it in the reader's language; else the part after
    ``#`` as written."""
    fragment = (source or "").partition("#")[2]
    parts = dict(part.partition("=")[::2] for part in fragment.split("/"))
    receipt = [k for k, v in parts.items() if k.isdigit() and not v]  # the k-th on the page
    if receipt and len(parts) == 2 and "page" in parts:
        parts = {"page": parts["page"], "receipt": receipt[0]}
    code = _PLACES.get(tuple(sorted(parts)))
    return problem(code, **parts) if code and all(parts.values()) else fragment


def line(number: object) -> Problem:
    """The location ``line N``."""
    return problem("at_line", line=number)


def row(number: object) -> Problem:
    """The location ``row N``."""
    return problem("at_row", row=number)


def page(number: object) -> Problem:
    """The location ``page N``."""
    return problem("at_page", page=number)
