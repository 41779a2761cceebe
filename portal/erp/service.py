"""Validate and upsert customers, contacts and invoices exported by the ERP (CSV or JSON rows).

Every row of a batch is validated first; a batch with any bad row imports nothing and reports
every bad row with its line number and the reason. Rows are upserted by customer code and
invoice number; a row equal to what is stored changes nothing (no update, no audit event).

Imports are built for company-sized files (20,000 customers, 100,000 invoices): existing rows
are read with a few ``IN (...)`` queries, then written with multi-row INSERT and UPDATE
statements and one batch of audit events; no query runs per row.

The one import for callers; the work is in :mod:`.customers`, :mod:`.contacts` and
:mod:`.invoices`, on the shared row checks of :mod:`.parsing`.
"""

from __future__ import annotations

from .contacts import CONTACT_COLUMNS, import_contacts, import_contacts_csv
from .customers import CUSTOMER_COLUMNS, import_customers, import_customers_csv
from .invoice_rows import INVOICE_COLUMNS
from .invoices import import_invoices, import_invoices_csv
from .parsing import ErpImportError, ImportSummary, RowError, decode

__all__ = [
    "CONTACT_COLUMNS",
    "CUSTOMER_COLUMNS",
    "INVOICE_COLUMNS",
    "ErpImportError",
    "ImportSummary",
    "RowError",
    "decode",
    "import_contacts",
    "import_contacts_csv",
    "import_customers",
    "import_customers_csv",
    "import_invoices",
    "import_invoices_csv",
]
