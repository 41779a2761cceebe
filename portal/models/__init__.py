"""Concord's tables: typed SQLAlchemy 2 models, imported here so metadata is complete."""

from .audit import AppSetting, AuditEvent
from .banking import (
    MATCH_TRANSITIONS,
    Allocation,
    AllocationKind,
    AllocationMethod,
    BankFile,
    BankFileStatus,
    BankTransaction,
    Direction,
    Job,
    JobStatus,
    MatchStatus,
)
from .base import Base, InvalidTransition, check_transition, utcnow
from .customers import Customer, CustomerBankAccount, CustomerContact, LearnedPayer
from .disputes import (
    DISPUTE_TRANSITIONS,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeReason,
    DisputeStatus,
)
from .followups import (
    FOLLOWUP_TRANSITIONS,
    DunningStep,
    FollowUp,
    FollowUpComment,
    FollowUpKind,
    FollowUpStatus,
)
from .invoices import INVOICE_TRANSITIONS, CreditNote, Invoice, InvoiceStatus
from .statements import (
    STATEMENT_TRANSITIONS,
    SignatureEvidence,
    Statement,
    StatementLine,
    StatementStatus,
)
from .users import ApiToken, LoginAttempt, Role, TokenPurpose, User, UserToken

__all__ = [
    "DISPUTE_TRANSITIONS",
    "FOLLOWUP_TRANSITIONS",
    "INVOICE_TRANSITIONS",
    "MATCH_TRANSITIONS",
    "STATEMENT_TRANSITIONS",
    "Allocation",
    "AllocationKind",
    "AllocationMethod",
    "ApiToken",
    "AppSetting",
    "AuditEvent",
    "BankFile",
    "BankFileStatus",
    "BankTransaction",
    "Base",
    "CreditNote",
    "Customer",
    "CustomerBankAccount",
    "CustomerContact",
    "Direction",
    "Dispute",
    "DisputeAttachment",
    "DisputeMessage",
    "DisputeReason",
    "DisputeStatus",
    "DunningStep",
    "FollowUp",
    "FollowUpComment",
    "FollowUpKind",
    "FollowUpStatus",
    "InvalidTransition",
    "Invoice",
    "InvoiceStatus",
    "Job",
    "JobStatus",
    "LearnedPayer",
    "LoginAttempt",
    "MatchStatus",
    "Role",
    "SignatureEvidence",
    "Statement",
    "StatementLine",
    "StatementStatus",
    "TokenPurpose",
    "User",
    "UserToken",
    "check_transition",
    "utcnow",
]
