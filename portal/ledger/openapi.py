"""The ledger API's part of the OpenAPI document (merged by :mod:`portal.api.openapi`)."""

from __future__ import annotations

from typing import Any

from .export import COLUMNS, MAX_PAGE_SIZE

_DECIMAL = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """An operation's required JSON request body of ``schema``."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


LEDGER_RECORD: dict[str, Any] = {
    "type": "object",
    "description": "One ledger record; a reversal is a record of its own with the negative amount.",
    "required": list(COLUMNS),
    "properties": {
        "id": {"type": "integer", "description": "stable and increasing; also the cursor"},
        "voucher": {"type": "string"},
        "bank_ref": {"type": "string"},
        "value_date": {"type": "string", "format": "date"},
        "customer": {"type": "string"},
        "invoice": {"type": "string", "description": "empty for money on account"},
        "amount": _DECIMAL,
        "currency": {"type": "string", "minLength": 3, "maxLength": 3},
        "kind": {
            "type": "string",
            "enum": [
                "payment",
                "fee_writeoff",
                "difference_writeoff",
                "on_account",
                "credit_note",
                "reversal",
            ],
        },
        "by": {"type": "string", "description": "the user's email or the rule's name"},
        "our_account": {
            "type": "string",
            "description": "our bank account that received the money, as the bank file states "
            "it (empty without a receipt, e.g. a credit note, or when the file named none)",
        },
        "our_bank": {
            "type": "string",
            "description": "the bank of our_account when the settings name it "
            "(OWN_ACCOUNT_BANKS, COMPANY_BANK_NAME), else empty",
        },
    },
}

LEDGER_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["records", "cursor", "has_more"],
    "properties": {
        "records": {"type": "array", "items": {"$ref": "#/components/schemas/LedgerRecord"}},
        "cursor": {"type": "string", "description": "pass as ?after= for the next page"},
        "has_more": {"type": "boolean"},
    },
}

CREDIT_CHECK: dict[str, Any] = {
    "type": "object",
    "required": ["decision", "exposure", "limit", "currency", "reasons"],
    "properties": {
        "decision": {"type": "string", "enum": ["allow", "warn", "block"]},
        "exposure": _DECIMAL,
        "limit": {"oneOf": [_DECIMAL, {"type": "null"}]},
        "currency": {"type": "string"},
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "level", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": [
                            "on_hold",
                            "over_limit",
                            "near_limit",
                            "no_limit",
                            "grade",
                            "overdue",
                        ],
                    },
                    "level": {"type": "string", "enum": ["warn", "block"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

LEDGER_PATHS: dict[str, Any] = {
    "/allocations": {
        "get": {
            "operationId": "list_allocations",
            "summary": "Ledger records after a cursor, in order (write tokens mark them exported)",
            "security": [{"bearer": []}],
            "parameters": [
                {
                    "name": "after",
                    "in": "query",
                    "schema": {"type": "string", "pattern": r"^\d{0,18}$"},
                },
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                },
            ],
            "responses": {
                "200": _json("LedgerPage", "the records and the next cursor"),
                "400": _error("a bad cursor or limit"),
                "401": _error("no valid bearer token"),
                "403": _error("the token's user may not read"),
            },
        }
    },
    "/allocations/ack": {
        "post": {
            "operationId": "ack_allocations",
            "summary": "Confirm the records the ERP booked (all or nothing)",
            "security": [{"bearer": []}],
            "requestBody": json_body(
                {
                    "type": "object",
                    "required": ["ids"],
                    "properties": {
                        "ids": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "integer", "minimum": 1},
                        }
                    },
                }
            ),
            "responses": {
                "200": {
                    "description": "how many were booked now and before",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": _error('the body is not {"ids": [...]}'),
                "401": _error("no valid bearer token"),
                "403": _error("the token's scope or user may not write"),
                "422": _error("unknown ids; nothing was marked"),
            },
        }
    },
    "/customers/{code}/credit-check": {
        "get": {
            "operationId": "credit_check",
            "summary": "May a sales order be confirmed on credit",
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "amount",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "pattern": r"^\d{1,16}(\.\d{1,2})?$"},
                },
                {
                    "name": "currency",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[A-Z]{3}$"},
                },
            ],
            "responses": {
                "200": _json("CreditCheck", "the decision with exposure, limit and reasons"),
                "400": _error("a bad amount or currency"),
                "401": _error("no valid bearer token"),
                "403": _error("the token's user may not read"),
                "404": _error("no customer with that code"),
            },
        }
    },
}

LEDGER_SCHEMAS: dict[str, Any] = {
    "LedgerRecord": LEDGER_RECORD,
    "LedgerPage": LEDGER_PAGE,
    "CreditCheck": CREDIT_CHECK,
}
