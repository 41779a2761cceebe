"""Reading ISO 20022 XML: which camt document a file holds, a fast path index over elements,
and bytes mislabelled as UTF-8.

camt messages come from outside; ``_common.secure_xml_root`` refuses DTDs and entities before
lxml sees them. :class:`ElementIndex` answers the forty-odd path lookups an entry needs from one
walk.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import ParseError
from ..problems import problem

# the ISO namespace, or a national one naming the ISO message it follows (Stuzza's
# "ISO:camt.053.001.02:APC:STUZZA:payments:003"); "urn:weird-namespace" names none
_NS_RE = re.compile(r"(?:^|[:/])camt\.05([234])\.001\.(\d\d)(?:$|:)")
_SUPPORTED_VERSIONS = range(2, 15)
# message element -> the repeated record element inside it
RECORDS = {"2": "Rpt", "3": "Stmt", "4": "Ntfctn"}
MESSAGES = {"2": "BkToCstmrAcctRpt", "3": "BkToCstmrStmt", "4": "BkToCstmrDbtCdtNtfctn"}
# where each further document of a file of concatenated camt documents begins
_XML_DECLARATION = re.compile(rb"<\?xml[ \t\r\n]")
# the encoding an XML declaration names; none means UTF-8
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = frozenset({b"utf-8", b"utf8"})
# elements whose descendants are indexed in one walk (see ElementIndex._flat)
_FLATTENED = frozenset({"Ntry", "TxDtls", "Bal"})
# the most an RmtInf/Ustrd holds (Max140Text)
_MAX_USTRD = 140


class ElementIndex:
    """Path lookups (``"RltdPties/Dbtr/Nm"``) relative to an element, in namespace ``ns``."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self._paths: dict[str, str] = {}
        self._flats: dict[etree._Element, dict[str, list[etree._Element]]] = {}

    def _path(self, path: str) -> str:
        # "A/B" -> "{ns}A/{ns}B", compiled once per path
        cached = self._paths.get(path)
        if cached is None:
            cached = "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))
            self._paths[path] = cached
        return cached

    def _flat(self, el: etree._Element) -> dict[str, list[etree._Element]] | None:
        """Every descendant of an entry, TxDtls or balance by its local path, in one walk.

        lxml's ``find`` compiles and walks a path per call; an entry is asked for some forty
        paths, so one walk into a dict is several times faster on large statements.
        """
        cached = self._flats.get(el)
        if cached is not None:
            return cached
        local = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
        if local not in _FLATTENED:
            return None
        cached = {}
        _walk(el, "", cached)
        self._flats[el] = cached
        return cached

    def find(self, el: etree._Element | None, path: str) -> etree._Element | None:
        """The first element at ``path`` below ``el`` (``None`` for none or no ``el``)."""
        if el is None:
            return None
        flat = self._flat(el)
        if flat is None:
            return el.find(self._path(path))
        found = flat.get(path)
        return found[0] if found else None

    def findall(self, el: etree._Element | None, path: str) -> list[etree._Element]:
        """Every element at ``path`` below ``el``, in document order."""
        if el is None:
            return []
        flat = self._flat(el)
        if flat is None:
            return el.findall(self._path(path))
        return flat.get(path, [])

    def text(self, el: etree._Element | None, *paths: str) -> str | None:
        """The stripped text of the first of ``paths`` that has some."""
        for path in paths:
            found = self.find(el, path)
            if found is not None and found.text and found.text.strip():
                return " ".join(found.text.split())
        return None

    def texts(self, el: etree._Element | None, path: str) -> list[str]:
        """The whitespace-folded text of every element at ``path`` that has some."""
        return [
            " ".join(e.text.split()) for e in self.findall(el, path) if e.text and e.text.strip()
        ]

    def remittance_lines(self, el: etree._Element | None) -> list[str]:
        """The ``RmtInf/Ustrd`` lines below ``el``, a line the bank cut at its limit joined again.

        Ustrd is Max140Text: banks that hold a longer text write it on as many lines as it takes,
        cut every 140 characters wherever that falls (``EREF: STZV-EtE27122013-11`` and
        ``:05-2 CRED: ...``). A line of exactly 140 characters is such a cut, so the next line
        continues it without a space, unless the next one starts with one.
        """
        lines: list[str] = []
        cut = False
        for e in self.findall(el, "RmtInf/Ustrd"):
            raw = e.text or ""
            folded = " ".join(raw.split())
            if not folded:
                continue
            if cut and not raw[:1].isspace():
                lines[-1] += folded
            else:
                lines.append(folded)
            cut = len(folded) == _MAX_USTRD or (len(raw) == _MAX_USTRD and not raw[-1].isspace())
        return lines


def _walk(el: etree._Element, prefix: str, into: dict[str, list[etree._Element]]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = tag.rpartition("}")[2]
        path = f"{prefix}/{name}" if prefix else name
        into.setdefault(path, []).append(child)
        if path == "NtryDtls":
            # each TxDtls is walked on its own when asked for: do not walk it twice; the rest
            # (the batch's Btch) is indexed with the entry
            for detail in child:
                if not isinstance(detail.tag, str):
                    continue
                if detail.tag.endswith("}TxDtls"):
                    into.setdefault("NtryDtls/TxDtls", []).append(detail)
                else:
                    inner = f"{path}/{detail.tag.rpartition('}')[2]}"
                    into.setdefault(inner, []).append(detail)
                    _walk(detail, inner, into)
            continue
        _walk(child, path, into)


def repair_encoding(data: bytes) -> tuple[bytes, bool]:
    """A document that says (or, undeclared, means) UTF-8 but is Windows-1252, as UTF-8.

    Some banks write Latin-1 bytes under ``encoding="UTF-8"`` (OCA's camt importer retries ABN
    AMRO's files as ISO-8859-15); refusing the file for one accented name would lose every
    entry, so the text is read as Windows-1252 and the statement says so.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data, False
    body = data.removeprefix(b"\xef\xbb\xbf")
    declared = _DECLARED_ENCODING.match(body)
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        return data, False  # lxml honours any other declaration itself
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace").encode("utf-8"), True
    return data, False


def split_documents(data: bytes) -> list[bytes]:
    """The XML documents in ``data``: one, or several written one after the other."""
    starts = [m.start() for m in _XML_DECLARATION.finditer(data)]
    if len(starts) <= 1:
        return [data]
    starts[0] = 0  # a BOM or blank line before the first declaration belongs to it
    return [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]


def find_document(root: etree._Element, filename: str) -> tuple[etree._Element, str, str]:
    """Return the camt ``Document`` element (possibly inside an envelope), its namespace, kind."""
    candidates = [root] if _local(root) == "Document" else []
    if not candidates:
        candidates = [
            el for el in root.iter() if isinstance(el.tag, str) and _local(el) == "Document"
        ][:1]
    if not candidates:
        raise ParseError(problem("camt_not_camt", root=_local(root)), file=filename)
    doc = candidates[0]
    ns = etree.QName(doc).namespace or ""
    match = _NS_RE.search(ns)
    if not ns:
        # no namespace at all (bankstatementparser's golden files, hand-made exports): only
        # the message element says which camt it is. A foreign namespace is refused still:
        # it names another schema.
        kind = next((k for k, m in MESSAGES.items() if doc.find(m) is not None), None)
        if kind is not None:
            return doc, ns, kind
    if not match:
        raise ParseError(problem("camt_namespace", namespace=ns), file=filename)
    kind, version = match.group(1), int(match.group(2))
    if version not in _SUPPORTED_VERSIONS:
        raise ParseError(
            problem("camt_version", kind=kind, version=f"{version:02d}"), file=filename
        )
    return doc, ns, kind


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""
