"""Match bank credits to open invoices, explainably and at scale (contract 8).

``match_transactions`` takes parsed ``Transaction`` objects, the ERP's customers and invoices,
and returns one ``MatchDecision`` per transaction: ``matched`` (post without a person),
``suggested`` (ranked candidates), ``unmatched``, ``ignored`` (debits, our own transfers) or
``duplicate`` (a bank entry already seen).
"""

from __future__ import annotations

from .erp_csv import ErpFileError, load_customers, load_invoices, read_customers, read_invoices
from .records import (
    CustomerRecord,
    InvoiceRecord,
    LearnedPayer,
    MatchDecision,
    ProposedAllocation,
    Reason,
    Status,
    Suggestion,
)
from .run import match_transactions
from .settings import MatchSettings

__all__ = [
    "CustomerRecord",
    "ErpFileError",
    "InvoiceRecord",
    "LearnedPayer",
    "MatchDecision",
    "MatchSettings",
    "ProposedAllocation",
    "Reason",
    "Status",
    "Suggestion",
    "load_customers",
    "load_invoices",
    "match_transactions",
    "read_customers",
    "read_invoices",
]
