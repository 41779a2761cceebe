"""The audit trail: an append-only, hash-chained log of every state change."""

from .service import (
    GENESIS_HASH,
    ChainReport,
    PendingEvent,
    entity_ref,
    record,
    record_many,
    verify_chain,
)

__all__ = [
    "GENESIS_HASH",
    "ChainReport",
    "PendingEvent",
    "entity_ref",
    "record",
    "record_many",
    "verify_chain",
]
