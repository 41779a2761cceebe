"""Problems with bank files in the reader's language.

``reconcile`` raises and collects each parse problem as a :class:`reconcile.problems.Problem`: a
code of ``reconcile.problems.PROBLEMS`` with the values it names, the file and the place in the
file (itself coded: ``line 12``, ``page 2, receipt 1``). The import keeps them as JSON
(:func:`reconcile.problems.describe`); :func:`problem_text` renders one through the catalogue.
Anything without a code this table knows (a message stored before problems had codes, an
unexpected error) is shown as it was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from reconcile.problems import describe

from ..models import BankFile

#: one entry per code of ``reconcile.problems.PROBLEMS``, same parameters
PROBLEMS: dict[str, Any] = {
    "at_line": _l("line %(line)s"),
    "at_row": _l("row %(row)s"),
    "at_page": _l("page %(page)s"),
    "at_receipt": _l("page %(page)s, receipt %(receipt)s"),
    "at_page_row": _l("page %(page)s, row %(row)s"),
    "at_statement": _l("statement %(statement)s"),
    "at_statement_ref": _l("statement %(statement)s (:20: %(ref)s)"),
    "at_statement_account": _l("statement %(statement)s (%(id)s, account %(account)s)"),
    "at_line_account": _l("line %(line)s, account %(account)s"),
    "at_entry": _l("entry %(entry)s"),
    "at_statement_entry": _l("statement %(statement)s, entry %(entry)s"),
    "at_statement_balance": _l("statement %(statement)s, %(kind)s (:%(tag)s:)"),
    "at_transaction": _l("transaction %(transaction)s"),
    "at_transaction_id": _l("transaction %(transaction)s (FITID %(fitid)s)"),
    "not_bank_file": _l(
        "not a bank file Concord reads (PDF receipt or statement, CAMT.052/053/054, MT940/MT942, "
        "OFX/QFX/OFC, BAI2, CSV, XLS or XLSX export)"
    ),
    "format_changed": _l("format changed between detection and parsing (%(format)s)"),
    "cannot_read": _l("cannot read: %(detail)s"),
    "parser_failed": _l("could not be parsed (%(detail)s)"),
    "parser_crashed": _l("parser failed: %(detail)s"),
    "parser_died": _l(
        "the parser process died (exit code %(code)s): the file is probably hostile or exceeded "
        "the memory limit"
    ),
    "nested_too_deeply": _l("structure nested too deeply"),
    "amount_not_number": _l("amount %(value)r is not a number"),
    "entry_left_out": _l("%(reason)s; the entry is left out, the rest of the file is read"),
    "balance_left_out": _l("%(reason)s; the balance is left out"),
    "value_date_left_out": _l("%(reason)s; the value date is left out"),
    "original_amount_left_out": _l("%(reason)s; the original amount is left out"),
    "date_does_not_exist": _l("date %(value)r does not exist"),
    "balance_mismatch": _l(
        "the balances do not add up: opening balance %(opening_code)s %(opening)s and the "
        "entries (%(movement)s) make %(expected)s, but the closing balance %(closing_code)s is "
        "%(closing)s %(currency)s (difference %(difference)s): entries are missing, duplicated "
        "or read with the wrong sign"
    ),
    "balance_carry_over": _l(
        "the statement does not go on where its previous part ended: closing balance "
        "%(closing_code)s %(closing)s, then opening balance %(opening_code)s %(opening)s "
        "%(currency)s (difference %(difference)s): a part of the statement is missing"
    ),
    "running_balance_mismatch": _l(
        "the running balance does not add up at this row: the balance before, %(before)s, and "
        "the amount (%(movement)s) make %(expected)s, but the row shows %(balance)s "
        "%(currency)s (difference %(difference)s): a row is missing, duplicated or read with "
        "the wrong sign"
    ),
    "control_total_mismatch": _l(
        "the %(record)s record's control total %(stated)s is not the sum of the amounts it "
        "covers, %(computed)s (difference %(difference)s, in minor units): records are missing "
        "or damaged"
    ),
    "record_count_mismatch": _l(
        "the %(record)s record states %(stated)s records, but %(counted)s were read "
        "(difference %(difference)s): records are missing or were added"
    ),
    "entry_totals_mismatch": _l(
        "the :%(tag)s: field states %(stated_count)s entries of %(stated_total)s %(currency)s, "
        "but the report holds %(count)s entries of %(total)s (difference %(difference)s): "
        "entries are missing or duplicated"
    ),
    "camt_entries_other_currency": _l(
        "%(count)s entries of %(total)s %(currency)s on a statement whose balances are in "
        "%(balances)s: they are in no balance check"
    ),
    "camt_summary_count_mismatch": _l(
        "the statement's summary (%(part)s) states %(stated_count)s entries, but the statement "
        "holds %(count)s (in several currencies, so their amounts are not added up): entries "
        "are missing or duplicated"
    ),
    "camt_summary_mismatch": _l(
        "the statement's summary (%(part)s) states %(stated_count)s entries of "
        "%(stated_total)s %(currency)s, but the statement holds %(count)s entries of "
        "%(total)s (difference %(difference)s): entries are missing or duplicated"
    ),
    "file_too_large": _l("file is %(size)s bytes, more than the limit of %(limit)s"),
    "file_larger_than": _l("file larger than %(limit)s bytes"),
    "file_is_larger_than": _l("file is larger than %(limit)s bytes"),
    "too_many_transactions": _l("more than %(limit)s transactions"),
    "too_many_rows": _l("more than %(limit)s rows"),
    "too_many_pages": _l("%(pages)s pages, more than the limit of %(limit)s"),
    "too_slow": _l("took longer than %(seconds)s s"),
    "too_much_memory": _l("exceeded memory limit (%(megabytes)s MB)"),
    "out_of_memory": _l("exceeded memory limit"),
    "zip_broken": _l("broken ZIP archive: %(detail)s"),
    "zip_empty": _l("ZIP archive without any file"),
    "archive_too_many": _l("%(what)s with %(count)s members, more than %(limit)s"),
    "archive_truncated": _l(
        "an incomplete %(what)s (%(size)s bytes, its end is missing): the download or upload was "
        "cut short; download it again"
    ),
    "archive_too_large": _l("%(what)s unpacks to %(size)s bytes, more than the limit of %(limit)s"),
    "zip_nested": _l("ZIP archives inside a ZIP archive are not opened"),
    "zip_encrypted": _l("encrypted ZIP member: cannot be read"),
    "zip_bomb": _l("decompression bomb: %(packed)s bytes unpack to %(size)s"),
    "zip_member_broken": _l("damaged inside the ZIP archive, cannot be unpacked: %(detail)s"),
    "zip_member_grows": _l("ZIP member unpacks to more than its declared %(size)s bytes"),
    "at_ofx_balance": _l("%(kind)s balance"),
    "at_balance": _l("balance %(kind)s"),
    "ofx_server_error": _l(
        "the bank's OFX server returned error %(code)s (%(message)s) instead of a statement"
    ),
    "ofx_no_statement": _l("OFX file without any statement (STMTRS/CCSTMTRS/INVSTMTRS)"),
    "ofx_doctype": _l("OFX with a DOCTYPE or entity declaration is refused"),
    "ofx_no_root": _l("no <OFX> element: not an OFX file"),
    "ofx_truncated": _l("truncated OFX file (no closing </OFX>)"),
    "ofx_too_deep": _l("OFX nested deeper than %(limit)s levels"),
    "ofx_too_many_elements": _l("more than %(limit)s OFX elements"),
    "ofx_no_currency": _l(
        "the statement states no currency (empty CURDEF): set a default currency"
    ),
    "ofx_no_account": _l(
        "the statement names no account (no %(element)s with an ACCTID): its transactions are "
        "read without our account; check that the bank's download is complete"
    ),
    "ofx_no_transaction_list": _l(
        "the statement has no transaction list (%(element)s): no transactions are read from it; "
        "download the statement again with its transactions"
    ),
    "ofx_no_amount": _l("transaction without TRNAMT"),
    "ofx_no_posted": _l("transaction without DTPOSTED (posting date)"),
    "ofx_other_currency": _l("transaction in %(currency)s, statement in %(statement)s"),
    "ofx_bad_date": _l("date %(value)r is not an OFX date (YYYYMMDD...)"),
    "ofx_null_amount": _l("transaction whose amount is 'null' (no money moved): left out"),
    "ofx_replaced": _l("transaction %(fitid)s left out: the bank's correction %(by)s replaces it"),
    "ofx_deleted": _l("transaction %(fitid)s left out: the bank's correction %(by)s deletes it"),
    "ofx_corrects_earlier": _l(
        "the bank's correction %(by)s replaces or deletes transaction %(fitid)s, which is not in "
        "this file: check it where an earlier download was imported"
    ),
    "ofx_investment_only": _l(
        "investment statement without bank transactions (%(count)s security transactions such "
        "as buys and sells): not a bank or credit card statement"
    ),
    "ofx_securities_left_out": _l(
        "%(count)s security transactions (%(kinds)s) left out: only the investment account's "
        "bank transactions (INVBANKTRAN) are read"
    ),
    "ofc_truncated": _l("truncated OFC file (no closing </OFC>)"),
    "ofc_no_statement": _l(
        "OFC file (Microsoft Money's format before OFX) without any statement (STMTRS)"
    ),
    "ofc_no_currency": _l(
        "an OFC file (Microsoft Money's format before OFX) names no currency: set a default "
        "currency, or download the statement as OFX instead"
    ),
    "ofc_currency_assumed": _l(
        "the OFC file names no currency: its amounts are read as %(currency)s, the default currency"
    ),
    "currency_assumed": _l(
        "the file names no currency: its amounts are read as %(currency)s, the default currency"
    ),
    "date_order_assumed": _l(
        "dates such as %(value)r read either way and nothing in the file says which: they are "
        "read day first (%(read)s); if the bank writes the month first, map the file's layout "
        "with the date order Month first"
    ),
    "at_details": _l("transaction details"),
    "amount_not_positive": _l("amount %(value)r is not a positive number"),
    "xml_doctype": _l("XML with a DOCTYPE is refused (entities and DTDs are not allowed)"),
    "xml_malformed": _l("not well-formed XML: %(detail)s"),
    "xml_unreadable": _l("unreadable XML: %(detail)s"),
    "xml_empty": _l("empty XML document"),
    "camt_no_message": _l("camt.05%(kind)s document without its %(element)s message element"),
    "camt_no_records": _l("invalid camt.05%(kind)s document: no <%(element)s> element"),
    "camt_not_camt": _l("not an ISO 20022 camt document (root element <%(root)s>)"),
    "camt_namespace": _l(
        "unsupported XML namespace %(namespace)r: expected "
        "urn:iso:std:iso:20022:tech:xsd:camt.052/053/054.001.02 to .001.14"
    ),
    "camt_version": _l("camt.05%(kind)s.001.%(version)s is not supported (001.02 to 001.14 are)"),
    "camt_value_date_used": _l("no booking date: the value date is used"),
    "camt_creation_date_used": _l("no booking or value date: the message creation date is used"),
    "camt_period_end_used": _l(
        "no booking or value date: the last day of the statement's period (%(date)s) is used"
    ),
    "camt_closing_date_used": _l(
        "no booking or value date: the day of the statement's closing balance (%(date)s) is used"
    ),
    "camt_no_namespace": _l(
        "the file names no camt version (its Document has no XML namespace): read as "
        "camt.05%(kind)s by its <%(element)s> element"
    ),
    "camt_not_utf8": _l(
        "the file is declared UTF-8 but is not: its text was read as Windows-1252 (Western "
        "European), check names with accents"
    ),
    "camt_no_date": _l("entry without any date"),
    "camt_not_booked": _l("entry status %(status)s (not booked)"),
    "payment_returned": _l(
        "%(amount)s %(currency)s returned to %(party)s (%(mark)s): a customer's payment taken "
        "back (returned direct debit, chargeback, returned transfer or cheque); the invoice it "
        "paid may be owed again"
    ),
    "payment_returned_unnamed": _l(
        "%(amount)s %(currency)s returned (%(mark)s), the bank names no party: a customer's "
        "payment taken back (returned direct debit, chargeback, returned transfer or cheque); "
        "the invoice it paid may be owed again"
    ),
    "camt_batch_kept": _l(
        "batch of %(count)s transactions whose amounts do not add up to the booked %(amount)s: "
        "kept as one transaction"
    ),
    "camt_batch_incomplete": _l(
        "a batch of %(count)s payments of which the file details only %(listed)s: the booked "
        "%(amount)s is kept as one transaction, without the parties or text of the listed ones "
        "(they do not account for the whole)"
    ),
    "camt_bad_indicator": _l("CdtDbtInd is %(value)s, expected CRDT or DBIT"),
    "camt_no_currency": _l(
        "no currency in the file (no Ccy on the amount or the account): set a default currency "
        "for this account"
    ),
    "camt_bad_date": _l("date %(value)r is not an ISO date"),
    "too_many_entries": _l("%(count)s entries, more than the limit of %(limit)s"),
    "mt940_empty": _l("no MT940 statement lines (:61:) or balances found"),
    "mt940_fragment": _l(
        "a fragment of an MT940 statement, not a whole one: it holds %(found)s but no %(missing)s"
    ),
    "mt940_bad_field": _l("unreadable MT940 field :%(tag)s: %(value)r"),
    "mt940_bad_amount": _l("unreadable MT940 field (an amount that is not a number)"),
    "mt940_unreadable": _l("unreadable MT940 field (%(detail)s)"),
    "mt940_no_month": _l("entry %(entry)s: value date %(date)s has no month %(month)s"),
    "mt940_bad_value_date": _l("entry %(entry)s: value date %(date)s is not a calendar date"),
    "mt940_february": _l("value date %(date)s is not a calendar date; read as %(read)s"),
    "mt940_date_of_balance": _l(
        "value date %(date)s is not a date; read as %(read)s, the date of the balance :%(tag)s:"
    ),
    "mt940_entry_date_left_out": _l(
        "entry date %(date)s is not a calendar date; read as the value date %(read)s"
    ),
    "mt940_balance_date": _l("balance date %(date)s is not a calendar date; read as %(read)s"),
    "mt940_bad_entry_date": _l("entry %(entry)s: entry date %(date)s is not a calendar date"),
    "mt940_no_amount": _l("entry without an amount"),
    "mt940_no_currency": _l("the statement states no currency (no :60F: balance)"),
    "mt940_no_value_date": _l("entry without a value date"),
    "mt940_outside_statement": _l(
        "an entry after the end of statement %(statement)s (its closing balance and the end mark "
        "after it), outside any statement: read with that statement's account and currency, "
        "not counted in its balances"
    ),
    "not_encoding": _l("not %(encoding)s text: %(detail)s"),
    "binary_data": _l("binary data (NUL bytes), not a text export"),
    "unknown_encoding": _l("text in an unknown encoding (tried UTF-8, UTF-16 with BOM, GB18030)"),
    "csv_malformed": _l("malformed CSV: %(detail)s"),
    "html_unreadable": _l("not a readable HTML table: %(detail)s"),
    "xlsx_unreadable": _l("not a readable XLSX workbook: %(detail)s"),
    "xlsx_bomb": _l(
        "XLSX member %(member)s is compressed %(ratio)s:1, more than the limit of %(limit)s:1 "
        "(decompression bomb?)"
    ),
    "xls_unreadable": _l(
        "an Office file that is not a readable Excel 97-2003 workbook (%(detail)s); save it as "
        ".xlsx or CSV (without a password)"
    ),
    "xls_damaged": _l("a damaged .xls workbook (%(detail)s)"),
    "spreadsheet_index": _l(
        "an Excel XML spreadsheet with a row or cell index %(value)r outside 1 to %(limit)s"
    ),
    "export_no_currency": _l("the export states no currency"),
    "too_many_rows_of": _l("%(count)s rows, more than the limit of %(limit)s"),
    "date_unreadable": _l("date %(value)r is not readable"),
    "no_date": _l("no date"),
    "date_format_mismatch": _l("date %(value)r does not match %(format)s"),
    "bad_direction_mark": _l("debit/credit mark %(value)r not understood"),
    "direction_mark_conflict": _l(
        "the amount %(amount)s is signed against its debit/credit mark %(mark)r: the sign is kept;"
        " check whether the row is a reversal"
    ),
    "layout_incomplete": _l(
        "layout %(layout)r matches the header but its date or amount column is missing; columns "
        "found: %(columns)s"
    ),
    "unknown_layout": _l(
        "unknown CSV/XLSX layout: no row names a date column and an amount (or debit and "
        "credit) column, and no layout mapping fits; columns found: %(columns)s"
    ),
    "unknown_layout_no_columns": _l(
        "unknown CSV/XLSX layout: no row names a date column and an amount (or debit and "
        "credit) column, and no layout mapping fits; columns found: none"
    ),
    "tabular_all_left_out": _l(
        "no entry read: each of the %(count)s rows under the header was left out (%(first)s); "
        "check that the file is the account's statement and its columns are the ones meant"
    ),
    "tabular_not_booked": _l(
        "%(count)s row(s) left out because their state books nothing (%(states)s); "
        "their row numbers: %(rows)s"
    ),
    "unknown_layout_headerless": _l(
        "unknown CSV/XLSX layout: the file has no header row (its rows begin %(columns)s) and its "
        "columns cannot be told apart by their values alone; map them once and the mapping is "
        "used for this account's later files"
    ),
    "our_account_payee": _l(
        "our account is the payee: read as a credit although the amount says otherwise"
    ),
    "our_account_payer": _l(
        "our account is the payer: read as a debit although the amount says otherwise"
    ),
    "sign_inverted": _l(
        "debit/credit read the other way round: only then does the running balance add up"
    ),
    "excel_rounded": _l(
        "%(value)s is left out: Excel rounded the number when the file was opened and saved in it;"
        " download the file from the bank again to keep it"
    ),
    "split_amount_negative": _l(
        "read as the other side: the amount stands negative in its debit or credit column (a"
        " reversal) and the running balance moves that way"
    ),
    "sign_inverted_charges": _l(
        "debit/credit read the other way round: the export counts charges positive and"
        " refunds or repayments negative, as card statements do"
    ),
    "sign_unsigned_charges": _l(
        "read as a charge: the card export writes its amounts without a sign, and only refunds"
        " and repayments are money in"
    ),
    "pdf_unreadable": _l("not a readable PDF (%(detail)s)"),
    "pdf_encrypted": _l("encrypted PDF: it needs a password to open"),
    "pdf_truncated": _l(
        "an incomplete PDF (%(size)s bytes, its end is missing): the download or upload was cut "
        "short; download it from the bank again"
    ),
    "pdf_no_receipt": _l(
        "no bank receipt found (no part of the PDF names a payer or payee with an amount)"
    ),
    "pdf_statement_no_table": _l(
        "a PDF account statement whose transaction table cannot be read: no line names a date "
        "column and an amount (or debit and credit) column; columns found: %(columns)s"
    ),
    "pdf_not_bank_document": _l(
        "no bank file: %(mark)r marks an invoice or a statement sent to a customer (a due date, "
        "a quantity or a tax column, an invoice title), not a bank's receipt or statement"
    ),
    "pdf_statement_date_no_year": _l(
        "a PDF account statement prints its dates without a year (%(date)r) and no statement "
        "period or date above its table gives the year"
    ),
    "pdf_statement_assumed_cny": _l(
        "no currency printed on the statement; amounts read as CNY (a Chinese statement)"
    ),
    "pdf_bad_page": _l("unreadable page (%(detail)s)"),
    "pdf_scanned": _l("no text layer (scanned image); OCR the file or ask the bank for a text PDF"),
    "pdf_no_unicode": _l(
        "text layer cannot be decoded (its fonts have no Unicode mapping); treat it as a "
        "scanned image"
    ),
    "pdf_no_amount": _l("receipt names a payer or payee but no amount"),
    "pdf_no_currency": _l(
        "no currency on the receipt (no 币种/Currency, no sign or code on the amount)"
    ),
    "pdf_no_date": _l("no date on the receipt"),
    "pdf_no_reference": _l("no bank reference (交易流水号/Reference) on the receipt"),
    "pdf_words_unreadable": _l("大写 amount %(value)r could not be read"),
    "pdf_receipt_no_amount": _l("no amount on the receipt"),
    "pdf_words_only": _l("amount read from the 大写 words only: no figures on the receipt"),
    "pdf_bad_amount": _l("unreadable amount %(value)r"),
    "pdf_words_disagree": _l(
        "大写 amount %(words)s = %(amount)s disagrees with the figures %(figures)s"
    ),
    "pdf_currency_disagrees": _l("currency %(stated)s disagrees with the amount's %(on_amount)s"),
    "pdf_assumed_cny": _l("no currency printed on the receipt; assumed CNY (Chinese receipt)"),
    "pdf_ambiguous_date": _l("date %(value)r is ambiguous: read as day/month (no other date says)"),
    "pdf_bad_date": _l("unreadable date %(value)r"),
    "pdf_both_own_words": _l(
        "both payer and payee are our own accounts; direction %(direction)s taken from the "
        "receipt's own words"
    ),
    "pdf_both_own_assumed": _l(
        "both payer and payee are our own accounts and the receipt does not say; assumed credit "
        "(money in)"
    ),
    "pdf_neither_own_words": _l(
        "neither payer nor payee is one of our accounts or names; direction %(direction)s taken "
        "from the receipt's own words"
    ),
    "pdf_neither_own_assumed": _l(
        "neither payer nor payee is one of our accounts or names and the receipt does not say; "
        "assumed credit (money in)"
    ),
    "pdf_sides_no_direction": _l(
        "the receipt names its own side and the other side (本方/对方) but not which way the "
        "money went (借贷标志); assumed the other side paid (credit)"
    ),
    "bai2_no_header": _l("a BAI2 file starts with a 01 file header record, found %(found)s"),
    "bai2_truncated": _l("no 99 file trailer: the file is truncated"),
    "bai2_88_alone": _l("88 continuation without a record to continue"),
    "bai2_after_99": _l("record %(record)s after the 99 file trailer"),
    "bai2_second_01": _l("a second 01 file header"),
    "bai2_49_without_03": _l("49 account trailer without a 03 account record"),
    "bai2_98_without_group": _l("98 group trailer without a complete group"),
    "bai2_99_in_group": _l("99 file trailer inside an open group (no 98)"),
    "bai2_02_before_98": _l("02 group header before the previous group's 98 trailer"),
    "bai2_02_short": _l("02 group header with fewer than 4 fields"),
    "bai2_03_outside": _l("03 account record outside a group (no 02 header)"),
    "bai2_03_before_49": _l("03 account record before the previous account's 49 trailer"),
    "bai2_03_no_account": _l("03 account record without an account number"),
    "bai2_16_outside": _l("16 detail record outside an account (no 03 record)"),
    "bai2_16_short": _l("16 detail record with fewer than 3 fields"),
    "bai2_16_no_amount": _l("16 detail record (type %(type)s) without an amount: left out"),
    "bai2_funds_d": _l("funds type D without a distribution count (%(count)r)"),
    "bai2_funds_unknown": _l("unknown funds type %(funds)r: read as immediate availability"),
    "bai2_custom_code": _l("bank-defined type code %(type)s: %(direction)s taken from the text"),
    "bai2_non_monetary": _l("type code %(type)s (non-monetary information): left out"),
    "bai2_invalid_code": _l("type code %(type)r is not a BAI2 type code: entry left out"),
    "bai2_not_money": _l(
        "type code %(type)s (%(kind)s code) is neither a credit (100-399) nor a debit "
        "(400-699): entry left out"
    ),
    "bai2_bad_amount": _l("amount %(value)r is not a whole number of minor units"),
    "bai2_bad_as_of": _l("as-of date %(value)r is not a YYMMDD date"),
    "bai2_bad_value_date": _l("value date %(value)r is not a YYMMDD date"),
    "bai2_accounts_mismatch": _l(
        "the 98 group trailer states %(stated)s accounts, but the group holds %(counted)s "
        "(difference %(difference)s): accounts are missing or were added"
    ),
    "bai2_groups_mismatch": _l(
        "the 99 file trailer states %(stated)s groups, but the file holds %(counted)s "
        "(difference %(difference)s): groups are missing or were added"
    ),
    "amount_empty": _l("empty amount"),
    "not_amount": _l("not an amount: %(value)r"),
    "amount_two_separators": _l("not an amount (two decimal separators): %(value)r"),
    "amount_bad_grouping": _l("not an amount (bad digit grouping): %(value)r"),
    "amount_mixed_grouping": _l("not an amount (mixed grouping): %(value)r"),
    "not_date": _l("not a date: %(value)r"),
    "not_date_because": _l("not a date: %(value)r (%(detail)s)"),
    "not_date_month": _l("not a date (unknown month %(month)r): %(value)r"),
    "bad_layout": _l("bad layout mapping: %(detail)s"),
    # written by the portal, not the engine
    "zero_amount": _l("%(source)s: zero amount skipped"),
}

#: words the engine passes as values (a direction, a BAI2 code range), in the reader's language
TERMS: dict[str, Any] = {
    "credit": _l("credit"),
    "debit": _l("debit"),
    "status": _l("status"),
    "loan": _l("loan"),
    "custom": _l("bank-defined"),
    "ZIP archive": _l("ZIP archive"),
    "XLSX workbook": _l("XLSX workbook"),
    # the balances of an MT940 statement (reconcile.parsers.mt940_library)
    "opening balance": _l("opening balance"),
    "closing balance": _l("closing balance"),
    "available balance": _l("available balance"),
    "forward available balance": _l("forward available balance"),
}
#: the parameters whose values are such words
_TERM_PARAMS = frozenset({"direction", "kind", "what"})
#: the parameters whose values are counts of bytes, rows or pages, grouped in the reader's way
_COUNT_PARAMS = frozenset({"size", "limit", "packed", "pages", "count"})


def _render(code: object, params: object) -> str | None:
    message = PROBLEMS.get(str(code or ""))
    if message is None or not isinstance(params, Mapping):
        return None
    values = {str(k): _value(k, v) for k, v in params.items()}
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):  # parameters from another engine version
        return None


def _value(name: object, value: object) -> str:
    if isinstance(value, Mapping):  # a nested problem: the reason an entry was left out
        return _location(value)
    if name in _COUNT_PARAMS and str(value).isdigit():
        return format_number(int(str(value)))
    return str(TERMS.get(str(value), value) if name in _TERM_PARAMS else value)


def _location(location: object) -> str:
    if isinstance(location, Mapping):
        rendered = _render(location.get("code"), location.get("params"))
        return rendered if rendered is not None else str(location.get("text") or "")
    return str(location or "")


def problem_text(problem: object) -> str:
    """Return one stored problem (``{"text", "code", "params", "file", "location"}``, or a
    plain string) in the current locale; its English ``text`` when it has no code this table
    renders."""
    if isinstance(problem, str):
        problem = describe(problem)
    if not isinstance(problem, Mapping):
        return str(problem or "")
    text = str(problem.get("text") or "")
    sentence = _render(problem.get("code"), problem.get("params"))
    if sentence is None:
        return text
    # TRANSLATORS: the separator between a file name and the place in it
    where = _(", ").join(
        p for p in (str(problem.get("file") or ""), _location(problem.get("location"))) if p
    )
    # TRANSLATORS: a problem with a bank file after the file and place it names
    return _("%(where)s: %(problem)s", where=where, problem=sentence) if where else sentence


def problems_text(problems: object) -> list[str]:
    """Return each of a list of stored problems in the current locale."""
    if not isinstance(problems, list):
        return []
    return [problem_text(p) for p in problems]


def file_error(bank_file: BankFile) -> str:
    """Return what went wrong with a bank file in the current locale (its stored English
    ``error`` when it was imported before its problems were kept coded)."""
    if bank_file.problems:
        return _("; ").join(problems_text(bank_file.problems))
    return bank_file.error or ""
