"""Parse bank files safely: detection, ZIP archives, limits, and a sandbox for PDFs.

Every function here returns results and never raises for a bad file: a broken, hostile or
unsupported file becomes a :class:`ParseResult` with ``error`` set, and the other files of the
batch are still parsed.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from .classify import mark_own_transfers
from .errors import LimitExceeded, ParseError, ReconcileError
from .model import ParseResult, ParseSettings, StatementInfo, Transaction
from .parsers import ParserModule, detect, has_statements
from .parsers._common import check_archive_size, open_archive
from .problems import Problem, problem
from .remittance import payer_from_text
from .returns import flag_returned_debits
from .sandbox import run_limited

__all__ = ["parse_bytes", "parse_paths"]

MAX_ZIP_MEMBERS = 200
"""More files than any bank puts in one archive."""
MAX_ZIP_RATIO = 200
"""Declared size over compressed size beyond which a member is treated as a decompression bomb
(bank XML compresses about 10-30 times; bombs a thousand times and more)."""
_RATIO_FLOOR = 1024 * 1024  # small members may compress extremely well without harm
_ISOLATED_FORMATS = frozenset({"pdf"})


def parse_bytes(
    data: bytes, filename: str, settings: ParseSettings = ParseSettings()
) -> list[ParseResult]:
    """Parse one uploaded file; a ZIP of statements gives one result per inner file.

    :param data: the file's bytes.
    :param filename: its name, used only in messages and ``Transaction.source``.
    :param settings: own accounts, date order, default currency and the safety limits.
    :returns: at least one :class:`ParseResult`; failures are in ``ParseResult.error``.
    """
    try:
        _check_size(len(data), filename, settings)
        if _is_zip(data) and not _is_office_document(data):
            return _parse_zip(data, filename, settings)
        return [_parse_one(data, filename, settings)]
    except ReconcileError as exc:
        return [ParseResult(file=filename, format=None, error=_text(exc))]
    except Exception as exc:  # a batch must survive any single file; report it, never hide it
        return [ParseResult(file=filename, format=None, error=_unexpected(exc, filename))]


def parse_paths(
    paths: Iterable[str | os.PathLike[str]], settings: ParseSettings = ParseSettings()
) -> list[ParseResult]:
    """Parse files from disk, in the given order; see :func:`parse_bytes`."""
    results: list[ParseResult] = []
    for path in paths:
        name = os.fspath(path)
        try:
            # checked before reading, so an oversized file is never loaded into memory
            _check_size(Path(name).stat().st_size, name, settings)
            data = Path(name).read_bytes()
        except ReconcileError as exc:
            results.append(ParseResult(file=name, format=None, error=_text(exc)))
            continue
        except OSError as exc:
            error = Problem("cannot_read", {"detail": exc.strerror}, name)
            results.append(ParseResult(file=name, format=None, error=error))
            continue
        results.extend(parse_bytes(data, name, settings))
    return results


def _check_size(size: int, filename: str, settings: ParseSettings) -> None:
    if size > settings.max_bytes:
        raise LimitExceeded(
            problem("file_too_large", size=size, limit=settings.max_bytes), file=filename
        )


def _parse_one(data: bytes, filename: str, settings: ParseSettings) -> ParseResult:
    module = detect(data, filename)
    fmt = module.FORMAT
    try:
        if fmt in _ISOLATED_FORMATS:
            transactions, statements = run_limited(
                _run_parser,
                fmt,
                data,
                filename,
                settings,
                timeout=settings.timeout_seconds,
                memory_limit=settings.memory_limit_bytes,
                label=filename,
            )
        else:
            transactions, statements = _run_module(module, data, filename, settings)
        if len(transactions) > settings.max_entries:
            raise LimitExceeded(
                problem("too_many_transactions", limit=settings.max_entries), file=filename
            )
    except ReconcileError as exc:
        return ParseResult(file=filename, format=fmt, error=_text(exc))
    except RecursionError:
        error = Problem("nested_too_deeply", file=filename)
        return ParseResult(file=filename, format=fmt, error=error)
    except MemoryError:
        return ParseResult(file=filename, format=fmt, error=Problem("out_of_memory", file=filename))
    except Exception as exc:  # a parser bug must not take the batch down; the message shows it
        return ParseResult(file=filename, format=fmt, error=_unexpected(exc, filename))
    _payers_from_remittance(transactions)
    # a transfer between two of the accounts the file reports on is no customer paying
    mark_own_transfers(transactions, settings.own)
    warnings = [
        w if isinstance(w, str) else str(w) for s in statements for w in s.raw.get("warnings", [])
    ]
    # a customer's payment taken back is said beside the file too, for finance to act on
    warnings.extend(flag_returned_debits(transactions))
    return ParseResult(
        file=filename,
        format=fmt,
        transactions=transactions,
        statements=statements,
        warnings=warnings,
    )


def _run_parser(
    fmt: str, data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Child-process entry point: parse with the module named ``fmt``."""
    module = detect(data, filename)
    if module.FORMAT != fmt:
        raise ParseError(problem("format_changed", format=fmt), file=filename)
    return _run_module(module, data, filename, settings)


def _run_module(
    module: ParserModule, data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    if has_statements(module):
        transactions, statements = module.parse_with_statements(data, filename, settings)
        return list(transactions), list(statements)
    return module.parse(data, filename, settings), []


# -- ZIP ------------------------------------------------------------------------------------
def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _is_office_document(data: bytes) -> bool:
    """True for XLSX (and other OOXML) files, which are ZIPs the tabular parser reads itself."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _parse_zip(data: bytes, filename: str, settings: ParseSettings) -> list[ParseResult]:
    # a workbook cut short is no longer told from other ZIPs by its content, only by its name
    workbook = filename.lower().endswith((".xlsx", ".xlsm"))
    with open_archive(data, "XLSX workbook" if workbook else "ZIP archive", filename) as archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not os.path.basename(info.filename).startswith(".")
        ]
        if not members:
            raise ParseError(problem("zip_empty"), file=filename)
        check_archive_size(
            members,
            "ZIP archive",
            filename,
            max_members=MAX_ZIP_MEMBERS,
            max_bytes=settings.max_bytes,
        )
        results: list[ParseResult] = []
        for info in members:
            name = f"{filename}/{info.filename}"
            try:
                inner = _read_member(archive, info, name, settings)
                if _is_zip(inner) and not _is_office_document(inner):
                    raise ParseError(problem("zip_nested"), file=name)
                results.append(_parse_one(inner, name, settings))
            except ReconcileError as exc:
                results.append(ParseResult(file=name, format=None, error=_text(exc)))
            except Exception as exc:  # one bad member must not hide the others
                results.append(ParseResult(file=name, format=None, error=_unexpected(exc, name)))
        return results


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, settings: ParseSettings
) -> bytes:
    if info.flag_bits & 0x1:
        raise ParseError(problem("zip_encrypted"), file=name)
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(
        info.compress_size, 1
    ):
        raise LimitExceeded(
            problem("zip_bomb", packed=info.compress_size, size=info.file_size), file=name
        )
    limit = min(info.file_size, settings.max_bytes)
    chunks: list[bytes] = []
    total = 0
    # never trust the declared size: stop reading one byte past it
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(1024 * 1024, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise LimitExceeded(problem("zip_member_grows", size=info.file_size), file=name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        # a member whose packed bytes were damaged: its CRC, its header or its deflate stream
        raise ParseError(problem("zip_member_broken", detail=exc), file=name) from exc
    return b"".join(chunks)


def _unexpected(exc: BaseException, filename: str) -> str:
    return Problem("parser_failed", {"detail": f"{type(exc).__name__}: {exc}"}, filename)


def _text(exc: ReconcileError) -> str:
    """The message of ``exc`` as :attr:`ParseResult.error`, coded when it is a parse error."""
    return exc.text if isinstance(exc, ParseError) else str(exc)


def _payers_from_remittance(transactions: list[Transaction]) -> None:
    """Fill the payer of a credit that names none from its remittance text (``Payer: ...``)."""
    for tx in transactions:
        if tx.direction != "credit" or tx.payer_name or not tx.reference:
            continue
        name = payer_from_text(tx.reference)
        if name:
            tx.payer_name = name
            tx.raw["payer_from"] = "remittance"
