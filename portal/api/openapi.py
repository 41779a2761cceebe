"""The OpenAPI 3.1 document of the ERP API (served at ``/api/v1/openapi.json``).

Keep it in step with :mod:`portal.api.routes`: ``tests/portal/test_openapi.py`` checks that
every API route is described and fuzzes each operation with schemathesis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app

from portal.contracts.checks import CODES
from portal.contracts.service import CONTRACT_COLUMNS
from portal.erp.customers import CUSTOMER_REQUIRED
from portal.erp.invoice_rows import INVOICE_COLUMNS
from portal.ledger.openapi import LEDGER_PATHS, LEDGER_SCHEMAS, json_body

_TEXT_OR_LIST = {
    "oneOf": [
        {"type": "string", "description": "';'-separated values"},
        {"type": "array", "items": {"type": "string"}},
    ]
}
_AMOUNT = {
    "oneOf": [{"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$"}, {"type": "number"}],
    "description": "a decimal amount; strings keep every digit exact",
}
_DATE = {"type": "string", "format": "date"}

_OPTIONAL_DATE = {"type": ["string", "null"], "format": "date"}
_CURRENCY = {"type": "string", "minLength": 3, "maxLength": 3}
_CUSTOMER_CODE = {"type": "string", "maxLength": 40, "description": "the customer's code"}
_TERMS = {"type": ["integer", "string", "null"], "description": "days"}


def _optional_text(max_length: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "maxLength": max_length}


#: the columns that mean the same in every row the API takes
_COLUMNS: dict[str, Any] = {
    "customer": _CUSTOMER_CODE,
    "currency": _CURRENCY,
    "amount": _AMOUNT,
    "open_amount": _AMOUNT,
    "total": _AMOUNT,
    "credit_limit": _AMOUNT,
    "issue_date": _DATE,
    "valid_from": _DATE,
    "valid_to": _OPTIONAL_DATE,
    "payment_terms": _TERMS,
    "po_number": _optional_text(64),
    "sales_order": _optional_text(64),
    "contract": _optional_text(64),
    "product_line": _optional_text(80),
    "region": _optional_text(80),
    "segment": _optional_text(80),
    "milestone": _optional_text(200),
    "billing": {"type": ["boolean", "string", "null"]},
}
_NUMBER = {"type": "string", "maxLength": 64}
_NAME = {"type": "string", "maxLength": 200}


def _row(description: str, required: Iterable[str], *columns: str, **own: Any) -> dict[str, Any]:
    """A row's object schema: its ``own`` properties, then the shared ``columns``."""
    return {
        "type": "object",
        "description": description,
        "required": list(required),
        "properties": own | {name: _COLUMNS[name] for name in columns},
    }


CUSTOMER_ROW = _row(
    "A customer, keyed by its ERP code (created or updated); without `aliases` or "
    "`bank_accounts` those stay as stored.",
    CUSTOMER_REQUIRED,
    "currency",
    "credit_limit",
    "region",
    "segment",
    "payment_terms",
    "billing",
    code={"type": "string", "maxLength": 40},
    name=_NAME,
    aliases=_TEXT_OR_LIST,
    bank_accounts=_TEXT_OR_LIST,
    email={"type": "string", "maxLength": 254},
    phone={"type": "string", "maxLength": 40},
    language={"type": "string", "enum": ["zh", "en"]},
    account_manager={"type": ["string", "null"], "description": "a staff user's email"},
    contact_name=_optional_text(200),
    contact_email=_optional_text(254),
    contact_mobile=_optional_text(40),
    contact_language={"type": ["string", "null"]},
    contacts={
        "type": "array",
        "description": "the customer's complete list of contacts",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "email": {"type": ["string", "null"]},
                "mobile": {"type": ["string", "null"]},
                "language": {"type": ["string", "null"]},
                "billing": _COLUMNS["billing"],
            },
        },
    },
)
INVOICE_ROW = _row(
    "An invoice, keyed by its number (created or updated).",
    INVOICE_COLUMNS,
    "customer",
    "issue_date",
    "currency",
    "amount",
    "open_amount",
    "po_number",
    "sales_order",
    "contract",
    "product_line",
    number=_NUMBER,
    due_date=_DATE,
    settled_on={
        **_OPTIONAL_DATE,
        "description": "the ERP's date of what it settled on the invoice (default: the "
        "import's day)",
    },
)
CONTRACT_ROW = _row(
    "A contract, keyed by its number; its schedule replaces the stored one.",
    CONTRACT_COLUMNS,
    "customer",
    "currency",
    "total",
    "payment_terms",
    "valid_from",
    "valid_to",
    number=_NUMBER,
    schedule={
        "oneOf": [
            {"type": "string", "description": "DATE=AMOUNT or MILESTONE=AMOUNT, ';'-separated"},
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["amount"],
                    "properties": {
                        "date": _OPTIONAL_DATE,
                        "milestone": _COLUMNS["milestone"],
                        "amount": _AMOUNT,
                    },
                },
            },
        ]
    },
)
DRAFT_INVOICE = _row(
    "An invoice the ERP is about to issue.",
    ["customer", "currency", "amount", "issue_date"],
    "customer",
    "contract",
    "currency",
    "amount",
    "issue_date",
    "payment_terms",
    "milestone",
    number=_optional_text(64),
    due_date=_OPTIONAL_DATE,
)
CHECK_RESULT: dict[str, Any] = {
    "type": "object",
    "required": ["result"],
    "properties": {
        "result": {"type": "string", "enum": ["ok", "differences"]},
        "differences": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": list(CODES),
                    },
                    "message": {"type": "string"},
                    "params": {"type": "object"},
                },
            },
        },
    },
}
CONTACT_ROW = _row(
    "A contact of a customer; the rows of a customer are its complete list.",
    ["customer", "name"],
    "customer",
    name=_NAME,
    email=_optional_text(254),
    mobile=_optional_text(40),
    language={"type": ["string", "null"], "enum": ["zh", "en", None]},
)
SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "created", "updated", "unchanged"],
    "properties": {
        "kind": {"type": "string"},
        "created": {"type": "integer", "minimum": 0},
        "updated": {"type": "integer", "minimum": 0},
        "unchanged": {"type": "integer", "minimum": 0},
        "closed": {"type": "integer", "minimum": 0},
        "conflicts": {"type": "integer", "minimum": 0},
    },
}
ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "what is wrong, for a person to read"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["line", "reason"],
                "properties": {
                    "line": {"type": "integer", "description": "1-based position in the list"},
                    "reason": {"type": "string"},
                },
            },
        },
        "max_rows": {"type": "integer"},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _import_operation(kind: str, row: str, max_rows: int) -> dict[str, Any]:
    return {
        "post": {
            "operationId": f"import_{kind}",
            "summary": f"Create or update {kind} (all or nothing)",
            "description": (
                f"Every row is validated first; one bad row refuses the whole batch (422, "
                f"with every bad row). At most {max_rows} rows per request. Needs a token "
                "of scope write whose user is finance or admin."
            ),
            "security": [{"bearer": []}],
            "requestBody": json_body(
                {
                    "type": "array",
                    "maxItems": max_rows,
                    "items": {"$ref": f"#/components/schemas/{row}"},
                }
            ),
            "responses": {
                "200": {
                    "description": "imported",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Summary"}}
                    },
                },
                "400": _error("the body is not a JSON list of rows"),
                "401": _error("no valid bearer token"),
                "403": _error("the token's scope or its user's role does not allow writing"),
                "413": _error("too many rows, or a body too large: send smaller batches"),
                "422": _error("bad rows; nothing was imported"),
            },
        }
    }


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the ERP API, with this server's limits."""
    document = _document(int(current_app.config["API_MAX_ROWS"]))
    limit = str(current_app.config["RATELIMIT_API"])
    for item in document["paths"].values():
        for operation in item.values():
            if operation.get("security"):
                # every authenticated operation shares the per-token rate limit
                operation["responses"].setdefault("429", _error(f"more than {limit} per token"))
    return document


def _document(max_rows: int) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Concord ERP API",
            "version": "1",
            "description": (
                "The ERP pushes customers and invoices to Concord. Authenticate with "
                "'Authorization: Bearer <token>' (flask api-token create NAME --user EMAIL "
                "--scope write). Scopes: read, write; write needs a finance or admin user."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/customers": _import_operation("customers", "CustomerRow", max_rows),
            "/invoices": _import_operation("invoices", "InvoiceRow", max_rows),
            "/contacts": _import_operation("contacts", "ContactRow", max_rows),
            "/contracts": _import_operation("contracts", "ContractRow", max_rows),
            "/invoices/check": {
                "post": {
                    "operationId": "check_invoice",
                    "summary": "Check a draft invoice against its contract (changes nothing)",
                    "security": [{"bearer": []}],
                    "requestBody": json_body({"$ref": "#/components/schemas/DraftInvoice"}),
                    "responses": {
                        "200": {
                            "description": "ok, or the differences found",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CheckResult"}
                                }
                            },
                        },
                        "400": _error("the body is not a JSON object"),
                        "401": _error("no valid bearer token"),
                        "403": _error("the token's scope or its user's role does not allow it"),
                        "413": _error("a body too large"),
                        "422": _error("a bad field"),
                    },
                }
            },
            **LEDGER_PATHS,
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "the OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "CustomerRow": CUSTOMER_ROW,
                "InvoiceRow": INVOICE_ROW,
                "ContactRow": CONTACT_ROW,
                "ContractRow": CONTRACT_ROW,
                "DraftInvoice": DRAFT_INVOICE,
                "CheckResult": CHECK_RESULT,
                **LEDGER_SCHEMAS,
                "Summary": SUMMARY,
                "Error": ERROR,
            },
        },
    }
