"""Bytes to rows for the tabular parser: CSV text, HTML tables, Excel 2003 XML spreadsheets, XLSX
and binary XLS workbooks.

Every reader returns a list of rows of cell texts; workbooks are checked against the size
limits first (decompression bombs), dates become ISO text and floats exact decimals.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from struct import error as struct_error
from typing import Any

from ..errors import LimitExceeded, ParseError
from ..model import ParseSettings
from ..problems import Problem, problem
from ._common import check_archive_size, open_archive, secure_xml_root
from .codepages import decode_single_byte, reads_as_single_byte
from .tabular_csv import lenient_records

Row = list[str]


class RowNames:
    """How sources and messages name the rows handed to the tabular reader.

    ``N`` is the 1-based position of the row in the list read: ``#row=N`` and ``row N`` for an
    export. A reader whose rows come from somewhere else (the pages of a PDF statement) names
    them its own way by overriding both methods.
    """

    #: how a reference made up for a row without one begins (``CSV-`` + a hash of the row)
    ref_prefix = "CSV-"

    def source(self, number: int) -> str:
        """The part of ``Transaction.source`` after ``file#``."""
        return f"row={number}"

    def location(self, number: int) -> Problem:
        """Where the row stands, for warnings and errors."""
        return problem("at_row", row=number)


DELIMITERS = ",;\t|"
HEADER_SEARCH_ROWS = 60
_BIG_MEMBER = 1024 * 1024
_MAX_ZIP_MEMBERS = 10_000
# a number between apostrophes (Polish banks' account numbers), spaces allowed
_QUOTED_NUMBER = re.compile(r"'[A-Z]{0,2}\d[\d ]*'")
_DUTCH_ELISION = re.compile(r"^'[stn][\s-]", re.IGNORECASE)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = f"{{{SPREADSHEET_NS}}}"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Excel's own limit; a cell index beyond it is no worksheet but an attempt to fill memory
_MAX_COLUMNS = 16384


def decode(data: bytes, encoding: str | None, *, partial: bool = False) -> tuple[str, str]:
    """Return the text and the encoding: the given one, else BOM, UTF-8, GB18030 (or Big5,
    Shift_JIS), else the European code page that reads best (:mod:`.codepages`: Windows-1252,
    CP1250 and ISO 8859-2 for Polish, Czech and Hungarian exports...).

    ``partial``: ``data`` is a prefix, so a character cut at the end is not an error.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding.lower()
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(problem("not_encoding", encoding=encoding, detail=exc)) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif b"\x00" in data:
        # Windows' "Unicode text" without its BOM (an export saved by a script): every ASCII
        # character's other byte is zero, on one side of the pairs only
        candidates = (_utf16_without_bom(data),)
    else:
        # a European code page's accented letters decode as Chinese or Japanese too
        candidates = ("utf-8",) if reads_as_single_byte(data) else ("utf-8", "gb18030")
    for candidate in candidates:
        # an incremental decoder that is not told the input is final keeps a character cut
        # at the end of a prefix back instead of failing (error offsets would be unreliable:
        # utf-8-sig counts them after the BOM)
        decoder = codecs.getincrementaldecoder(candidate)()
        try:
            text = decoder.decode(data, final=not partial)
        except UnicodeDecodeError:
            continue
        if candidate == "gb18030":
            traditional = _decode_big5(data, partial)
            if traditional is not None and _common_share(traditional, _BIG5) > 0.25 + _common_share(
                text, _GB2312
            ):
                return traditional, "big5hkscs"
            if not _reads_as_chinese(text):
                break
        return text, candidate
    else:
        if candidates[0] != "utf-8":
            raise ParseError(problem("unknown_encoding"))
        if len(candidates) == 1:
            return decode_single_byte(data)
    japanese = _decode_japanese(data, partial)
    if japanese is not None:
        return japanese, "cp932"
    # neither UTF-8 nor Chinese nor Japanese: a European bank's single-byte code page
    return decode_single_byte(data)


def _utf16_without_bom(data: bytes) -> str:
    """Return ``utf-16-le`` or ``utf-16-be`` for text whose zero bytes fall on one side of the
    byte pairs (a fifth of them at least; the other side has a few, of characters like 一,
    U+4E00); else refuse the data as binary."""
    head = data[:8192]
    pairs = len(head) // 2
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if pairs and odd >= pairs / 5 and even * 10 <= odd:
        return "utf-16-le"
    if pairs and even >= pairs / 5 and odd * 10 <= even:
        return "utf-16-be"
    raise ParseError(problem("binary_data"))


# the common characters of each double-byte encoding: GB2312's level-one hanzi (lead bytes
# B0-D7) and Big5's frequently used ones (A4-C6); the Big5 reading must be clearly better
_GB2312 = ("gb2312", 0xB0, 0xD7)
_BIG5 = ("big5hkscs", 0xA4, 0xC6)


def _decode_big5(data: bytes, partial: bool) -> str | None:
    """Hong Kong and Taiwan banks write Big5 (賬項資料, 結餘): its bytes decode as GB18030 too,
    into other characters, so both readings are tried and the one in common characters kept."""
    if not any(0xA1 <= b <= 0xF9 for b in data[:4096]):
        return None
    try:
        return codecs.getincrementaldecoder("big5hkscs")().decode(data, final=not partial)
    except UnicodeDecodeError:
        return None


def _common_share(text: str, charset: tuple[str, int, int]) -> float:
    """The share of the non-ASCII characters of ``text`` that are common in ``charset``: a
    misread gives kana, symbols and private-use characters."""
    codec, low, high = charset
    wide = [ch for ch in text[:20000] if ord(ch) > 0x7F]
    if not wide:
        return 0.0
    common = 0
    for ch in wide:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        common += low <= lead <= high
    return common / len(wide)


def _reads_as_chinese(text: str) -> bool:
    """Return False when GB18030 made rare characters of what is Western single-byte text.

    Almost any byte pair decodes in GB18030, so a German or Dutch export in Windows-1252
    (``Überweisung``, ``abzügl.``) decodes too, into rare characters a Chinese text hardly
    uses (``躡ernachtung``): an accented letter followed by an ASCII letter is a GBK extension
    character. Real Chinese exports use the common (GB2312) characters almost only.
    """
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return common * 2 > len(wide)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode_japanese(data: bytes, partial: bool) -> str | None:
    """Return the text of a Japanese bank's Shift_JIS (CP932) export, or None.

    MUFG, Rakuten, SMBC and Japan Post write CSV in Shift_JIS; read as GB18030 it is rare
    characters (``擔晅`` for 日付). Western single-byte text rarely decodes as CP932, and when it
    does it gives half-width katakana and second-level or vendor kanji, not the kana and
    everyday (JIS level 1) kanji of a bank's column names.
    """
    try:
        text = codecs.getincrementaldecoder("cp932")().decode(data, final=not partial)
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text if ord(ch) > 0x7F and not "\uff61" <= ch <= "\uff9f"]
    everyday = sum(1 for ch in wide if _everyday_japanese(ch))
    return text if wide and everyday * 4 >= len(wide) * 3 else None


def _everyday_japanese(ch: str) -> bool:
    """Kana, full-width forms, JIS X 0208 symbols and level-1 kanji (rows 1-8 and 16-47)."""
    if "\u3040" <= ch <= "\u30ff" or "\uff01" <= ch <= "\uff5e":
        return True
    try:
        row = ch.encode("euc-jp")[0] - 0xA0
    except (UnicodeEncodeError, IndexError):
        return False
    return 1 <= row <= 8 or 16 <= row <= 47


def detect_delimiter(lines: Sequence[str]) -> str:
    """Return the delimiter that splits the most lines into the same number (>1) of fields.

    Lines of one field (ING Bank Śląski's eight lines of title, date and account above a short
    table) count for no delimiter, nor for the comma do lines whose every comma stands between
    digits beside another delimiter: those are decimal commas (Caisse d'Épargne's
    ``Solde en fin de période;;;;-15,00``, its rows of ``-800,00``), and a short export of such
    lines would otherwise read as two columns split at the amount's decimal mark.
    """
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        counted = lines if delimiter != "," else [x for x in lines if not _decimal_commas(x)]
        widths = Counter(len(r) for r in csv.reader(counted, delimiter=delimiter) if len(r) > 1)
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def _decimal_commas(line: str) -> bool:
    """True when each comma of ``line`` stands between two digits and another delimiter splits
    it: ``05/03/24;R12345;LOYER;-800,00;;``."""
    commas = line.count(",")
    return (
        commas > 0
        and len(_DECIMAL_COMMA.findall(line)) == commas
        and any(d in line for d in DELIMITERS if d != ",")
    )


def csv_rows(text: str, delimiter: str | None) -> tuple[list[Row], str]:
    lines = text.splitlines()
    if delimiter is None:
        delimiter = detect_delimiter([line for line in lines if line.strip()][:200])
    try:
        records = list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "expected after" not in str(exc):
            raise ParseError(problem("csv_malformed", detail=exc)) from exc
        # a quote left unescaped inside a quoted cell ("UAB "Naktida"")
        records = lenient_records(lines, delimiter)
    return [[_excel_text(cell.strip()) for cell in r] for r in records], delimiter


def html_rows(text: str, filename: str, settings: ParseSettings) -> list[Row]:
    """Read the rows of every ``<table>`` in an HTML page saved as an Excel download."""
    import lxml.etree
    import lxml.html

    # no DTDs, no network; huge_tree off keeps lxml's own limits on depth and text size
    parser = lxml.html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True)
    # an XHTML page starts with an XML declaration, which lxml refuses in text already decoded
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        document = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(problem("html_unreadable", detail=exc), file=filename) from exc
    rows: list[Row] = []
    # per table, the columns a cell above still covers (rowspan) and for how many rows more
    covered: dict[Any, dict[int, int]] = {}
    for tr in document.iter("tr"):
        table = next(tr.iterancestors("table"), None)
        rows.append(_html_row(tr, covered.setdefault(table, {})))
        if len(rows) > settings.max_entries + HEADER_SEARCH_ROWS:
            raise LimitExceeded(problem("too_many_rows", limit=settings.max_entries), file=filename)
    return rows


def _html_row(tr: Any, covered: dict[int, int]) -> Row:
    """The cells of one HTML table row, each at the column it stands in.

    Banks' HTML pages saved as ``.xls`` merge header cells: 发生额 spans 借方 and 贷方
    (``colspan``), 交易日期 spans both header rows (``rowspan``). A spanned cell's text stands in
    its first column and the other columns it covers are left empty, as a merged cell reads in a
    workbook; without that every cell right of it would shift into its neighbour's column.

    :param covered: the columns cells of the rows above still cover, with how many rows more;
        updated for the rows below.
    """
    above = {column for column, left in covered.items() if left > 0}
    for column in above:
        covered[column] -= 1
    row: Row = []
    for cell in tr:
        if not (isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")):
            continue
        while len(row) in above:
            row.append("")
        start = len(row)
        width = _span(cell.get("colspan"), _MAX_HTML_COLSPAN)
        row.append(_excel_text(" ".join("".join(map(str, cell.itertext())).split())))
        row.extend([""] * (width - 1))
        height = _span(cell.get("rowspan"), _MAX_HTML_ROWSPAN)
        for column in range(start, start + width) if height > 1 else ():
            covered[column] = height - 1
    return row


# the HTML standard's own limits on a cell's span
_MAX_HTML_COLSPAN = 1000
_MAX_HTML_ROWSPAN = 65534


def _span(written: str | None, limit: int) -> int:
    """A cell's colspan or rowspan: 1 when missing, not a number or 0, at most ``limit``."""
    digits = (written or "").strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
        return 1
    return min(int(digits), limit)


def spreadsheetml_rows(data: bytes, filename: str, settings: ParseSettings) -> list[Row]:
    """Read the first worksheet of an Excel 2003 XML spreadsheet (SpreadsheetML).

    E-banking systems and ERPs save these under an ``.xls`` name. Cells skipped with
    ``ss:Index`` and widened with ``ss:MergeAcross`` keep their columns; date cells become ISO
    dates, numbers plain decimals.

    :raises ParseError: for a DOCTYPE, malformed XML, or a row or cell index out of bounds.
    """
    root = secure_xml_root(data, filename)
    table = root.find(f"{_SS}Worksheet/{_SS}Table")
    if table is None:
        return []
    max_rows = settings.max_entries + HEADER_SEARCH_ROWS
    rows: list[Row] = []
    for row in table.iterfind(f"{_SS}Row"):
        position = _position(row.get(f"{_SS}Index"), len(rows), max_rows, filename)
        rows.extend([] for _ in range(position - len(rows)))
        cells: Row = []
        for cell in row.iterfind(f"{_SS}Cell"):
            column = _position(cell.get(f"{_SS}Index"), len(cells), _MAX_COLUMNS, filename)
            cells.extend("" for _ in range(column - len(cells)))
            cells.append(_spreadsheet_text(cell.find(f"{_SS}Data")))
            merged = _position(cell.get(f"{_SS}MergeAcross"), -1, _MAX_COLUMNS, filename) + 1
            cells.extend("" for _ in range(merged))
        rows.append(cells)
    return rows


def _position(written: str | None, default: int, limit: int, filename: str) -> int:
    """The 0-based position a 1-based ``ss:Index`` names (``MergeAcross`` counts from 0 too)."""
    if written is None:
        return default
    try:
        value = int(written)
    except ValueError:
        value = -1
    if not 0 < value <= limit:
        raise ParseError(problem("spreadsheet_index", value=written, limit=limit), file=filename)
    return value - 1


def _spreadsheet_text(data: Any) -> str:
    if data is None:
        return ""
    text = " ".join("".join(data.itertext()).split())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        try:
            return cell_text(Decimal(text))
        except ArithmeticError:
            return text
    if kind == "DateTime":
        try:
            return cell_text(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    return _excel_text(text)


def _excel_text(cell: str) -> str:
    """Undo the tricks banks use to stop Excel turning long numbers into 6.22E+18.

    CCB and others write ``="6227001234567890123"`` (a formula giving text); UK banks write a
    leading apostrophe, WeChat Pay's merchant bills a backtick. A trailing tab (ICBC) is
    already gone with the surrounding spaces.
    """
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
        return cell[2:-1].strip()
    if cell.startswith("`"):
        return cell[1:]  # WeChat Pay's merchant bills lead every cell with a backtick
    if _QUOTED_NUMBER.fullmatch(cell):
        return cell[1:-1]  # mBank and ING Bank Śląski: '61109010140000071219812874'
    if len(cell) > 2 and cell.startswith("'") and cell.endswith("'"):
        # ASN Bank writes its description between apostrophes: 'Kosten gebruik betaalrekening'
        return cell[:-1] if _DUTCH_ELISION.match(cell) else cell[1:-1]
    if cell.startswith("'") and not _DUTCH_ELISION.match(cell):
        # NatWest and others prefix every text cell (the usual guard against formula
        # injection); Dutch names such as 's-Hertogenbosch keep theirs
        return cell[1:]
    return cell


def xlsx_rows(data: bytes, filename: str, settings: ParseSettings) -> list[Row]:
    """Read the first worksheet, after checking the archive is no decompression bomb."""
    with open_archive(data, "XLSX workbook", filename) as zf:
        infos = zf.infolist()
    check_archive_size(
        infos,
        "XLSX workbook",
        filename,
        max_members=_MAX_ZIP_MEMBERS,
        max_bytes=settings.max_uncompressed_bytes,
    )
    for info in infos:
        if info.file_size > _BIG_MEMBER and (
            info.compress_size == 0
            or info.file_size / info.compress_size > settings.max_compression_ratio
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise LimitExceeded(
                problem(
                    "xlsx_bomb",
                    member=info.filename,
                    ratio=ratio,
                    limit=settings.max_compression_ratio,
                ),
                file=filename,
            )
    import openpyxl  # imported here: only workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    rows: list[Row] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not affect values
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                if hasattr(sheet, "reset_dimensions"):
                    # Handelsbanken's exports declare their sheet as "A1:A1": read what is there,
                    # not what the declared dimension says (one cell)
                    sheet.reset_dimensions()
                for values in sheet.iter_rows(values_only=True):
                    rows.append([cell_text(v) for v in values])
                    if len(rows) > settings.max_entries + HEADER_SEARCH_ROWS:
                        raise LimitExceeded(
                            problem("too_many_rows", limit=settings.max_entries), file=filename
                        )
            finally:
                workbook.close()
    except ParseError:
        raise
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
    ) as exc:
        raise ParseError(problem("xlsx_unreadable", detail=exc), file=filename) from exc
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _excel_rounded(value: object) -> bool:
    """True for a number cell of 16 digits or more that lost digits: Excel (and WPS, LibreOffice)
    keep 15, so a longer account or reference shows zeros after the 15th (6.22202E+18), and a
    float beyond 2**53 holds no exact integer at all.

    Only floats are judged: ``xlrd`` gives every number as one, ``openpyxl`` those written with
    a point or an exponent, as a spreadsheet saves them; an integer written as digits by a
    bank's own generator is exact and kept.
    """
    if not isinstance(value, float) or not value.is_integer() or abs(value) < 1e15:
        return False
    digits = str(int(abs(value)))
    return abs(value) >= 2**53 or not digits[15:].strip("0")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if _excel_rounded(value):
        # Excel keeps 15 significant digits: an account or reference number stored as a number
        # lost the rest. Written as Excel shows it (6.22202021234567E+18), it is told from a
        # real number and left out with a warning, as in a CSV saved by Excel
        return f"{value:.15G}"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        integral = value.is_finite() and value == value.to_integral_value()
        return str(int(value)) if integral else format(value, "f")
    return str(value).strip()


def _xls_sheet_rows(book: Any, settings: ParseSettings, filename: str) -> list[Row]:
    """The first worksheet's cells as texts: dates as ISO dates, numbers as exact decimals."""
    import xlrd

    sheet = book.sheet_by_index(0)
    if sheet.nrows > settings.max_entries + HEADER_SEARCH_ROWS:
        raise LimitExceeded(problem("too_many_rows", limit=settings.max_entries), file=filename)
    rows: list[Row] = []
    for r in range(sheet.nrows):
        row: Row = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value: object = xlrd.xldate_as_datetime(cell.value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = cell.value
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                value = None
            else:
                value = cell.value
            row.append(_excel_text(cell_text(value)))
        rows.append(row)
    return rows


def xls_rows(data: bytes, filename: str, settings: ParseSettings) -> list[Row]:
    """Read the first worksheet of a binary Excel 97-2003 (BIFF8) ``.xls`` workbook.

    Many Chinese banks still give these. Date cells become ISO dates, numbers exact decimals.

    :raises ParseError: for an encrypted workbook or an Office file that is not a workbook.
    """
    import xlrd  # imported here: only binary workbooks need it

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError) as exc:
        raise ParseError(problem("xls_unreadable", detail=exc), file=filename) from exc
    except (ValueError, IndexError, KeyError, AssertionError, struct_error) as exc:
        raise ParseError(problem("xls_damaged", detail=exc), file=filename) from exc
    try:
        # the sheet is read on demand: a workbook damaged past its directory fails only here
        rows = _xls_sheet_rows(book, settings, filename)
    except (xlrd.XLRDError, ValueError, IndexError, KeyError, AssertionError, struct_error) as exc:
        raise ParseError(problem("xls_damaged", detail=exc), file=filename) from exc
    finally:
        book.release_resources()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows
