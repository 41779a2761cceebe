"""The audit trail: an append-only, hash-chained log of every state change."""

from .service import GENESIS_HASH, ChainReport, record, verify_chain

__all__ = ["GENESIS_HASH", "ChainReport", "record", "verify_chain"]
