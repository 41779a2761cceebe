"""Turn the positioned words of a PDF page into receipts: lines, label/value pairs, regions.

Works from ``pdfplumber``'s ``extract_words`` output only (one extraction per page), so that
tables are read from word positions rather than with the much slower table finder:

* words on the same baseline form a line; a wide horizontal gap starts a new cell;
* 付款人/收款人 written vertically (one character per line) in the left cell of each half of
  the classic grid become *party markers*, as does a 付款人/收款人 cell with no value of its
  own; the generic 全称/账号/开户行 labels take the party of the marker to their left;
* a page is cut into receipts at repeated titles (电子回单, Credit Advice...) or when a field
  that the current receipt already has appears again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .pdf_labels import TITLE, Token, is_label_prefix, tokenise_cell
from .pdf_lines import PrintedLine
from .pdf_vocabulary import OTHER, PARTY_FIELDS

Word = Mapping[str, Any]

_PARTY_RUN = re.compile(r"(?:(?P<payer>付款|汇款|付方|转出)|收款|收方|转入)(?:人|方|单位)?")
_SHORT_PARTY_LABELS = {"payer_name", "payee_name"}
# the bank's seal (电子回单专用章, 业务专用章, 转讫) printed over the fields: never a value, and
# its 回单 must not read as the title of a new receipt
_SEAL = re.compile(r"^(?:\S*专用章|\S*业务章|转讫|[★☆])$")
_SECTION = re.compile(
    r"^(?:(?P<payer>付款|汇款|付方|转出)|收款|收方|转入)(?:人|方)?(?:信息|资料|账户信息)?:?$"
)


@dataclass(slots=True)
class Marker:
    """A 付款人/收款人 heading that owns the grid cells to its right."""

    party: str  # "payer" or "payee"
    text: str
    x0: float
    top: float
    """Top of the page band the heading covers (not of its text)."""
    bottom: float
    token: Token | None = None
    """The token printing the heading, when it is on a line (not vertical)."""


@dataclass(slots=True)
class Line(PrintedLine):
    """One printed line of a page: its vertical extent and its tokens, left to right."""

    tokens: list[Token]


@dataclass(slots=True)
class Entry:
    """One label and the value printed after it."""

    label: str
    field: str
    value: str
    value_x0: float | None
    label_x0: float


@dataclass(slots=True)
class Region:
    """The lines of one receipt."""

    entries: list[Entry] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    """Lines without labels: bank name, title, footers."""

    def fields(self) -> set[str]:
        """The canonical fields the region's labels name (not ``OTHER`` nor bare party headings)."""
        return {e.field for e in self.entries if e.field != OTHER and e.field not in PARTY_FIELDS}


_OVERPRINT = 1.0  # points: how far apart a character printed twice for bold may be


def drop_overprints(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return ``chars`` without the copies printed over themselves a fraction of a point apart.

    Some banks make labels bold by printing them twice (pdfplumber issue #992); read as they
    are, 付款人名称 becomes 付付款款人人名名称称 and no label is found.
    """
    kept: list[dict[str, Any]] = []
    rows: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in chars:
        text, row = c["text"], round(c["top"])
        twins = [t for r in (row - 1, row, row + 1) for t in rows.get((text, r), ())]
        if any(
            abs(t["x0"] - c["x0"]) <= _OVERPRINT and abs(t["top"] - c["top"]) <= _OVERPRINT
            for t in twins
        ):
            continue
        rows.setdefault((text, row), []).append(c)
        kept.append(c)
    return kept


def page_regions(words: Sequence[Word]) -> list[Region]:
    """Return the receipts printed on one page, top to bottom."""
    words = [w for w in words if not _SEAL.match(w["text"])]
    markers, rest = _vertical_markers(words)
    lines = _lower_raised_values(_lines(rest))
    markers += _horizontal_markers(lines)
    _assign_parties(lines, markers)
    return _split_regions(lines)


# --------------------------------------------------------------------------------------------
# vertical party headings


def _is_cjk_char(text: str) -> bool:
    return len(text) == 1 and "\u3400" <= text <= "\u9fff"


def _vertical_markers(words: Sequence[Word]) -> tuple[list[Marker], list[Word]]:
    """Find 付款人/收款人 written top to bottom; return them and the remaining upright words.

    Two ways of printing it: one upright character per line (a column of one-character
    words), or rotated text (one non-upright word). Other rotated text, such as
    "第一联 回单联" along the page edge, is dropped: it belongs to no line.
    """
    markers: list[Marker] = []
    for w in words:
        if w.get("upright", True):
            continue
        text = w["text"]
        for candidate in (text, text[::-1]):  # rotated clockwise or anticlockwise
            if m := _PARTY_RUN.fullmatch(candidate):
                party = "payer" if m.group("payer") else "payee"
                reach = 2 * w["width"]  # centred in a cell that may be taller than the text
                top, bottom = w["top"] - reach, w["bottom"] + reach
                markers.append(Marker(party, candidate, w["x0"], top, bottom))
                break
    words = [w for w in words if w.get("upright", True)]
    singles = sorted(
        (w for w in words if _is_cjk_char(w["text"])), key=lambda w: (w["x0"], w["top"])
    )
    columns: list[list[Word]] = []
    for w in singles:
        if columns and abs(columns[-1][0]["x0"] - w["x0"]) <= 2.0:
            columns[-1].append(w)
        else:
            columns.append([w])
    used: set[int] = set()
    for column in columns:
        column.sort(key=lambda w: w["top"])
        run: list[Word] = []
        ends: list[Word | None] = [*column, None]
        for nxt in ends:
            if nxt is not None and run:
                height = run[-1]["bottom"] - run[-1]["top"]
                if nxt["top"] - run[-1]["bottom"] <= 3 * max(height, 1.0):
                    run.append(nxt)
                    continue
            i = 0
            while i < len(run) - 1:
                # the heading may run into other one-character words below it (金 of 金　额)
                for size in (4, 3, 2):
                    part = run[i : i + size]
                    m = _PARTY_RUN.fullmatch("".join(r["text"] for r in part))
                    if len(part) == size and m:
                        party = "payer" if m.group("payer") else "payee"
                        text = "".join(r["text"] for r in part)
                        reach = 2 * (part[0]["bottom"] - part[0]["top"])
                        top, bottom = part[0]["top"] - reach, part[-1]["bottom"] + reach
                        markers.append(Marker(party, text, min(r["x0"] for r in part), top, bottom))
                        used.update(id(r) for r in part)
                        i += size
                        break
                else:
                    i += 1
            run = [nxt] if nxt is not None else []
    return markers, [w for w in words if id(w) not in used]


def _horizontal_markers(lines: list[Line]) -> list[Marker]:
    """Find 付款人/收款人 headings written across, each owning the generic labels near it.

    A 付款人 cell with no value of its own, directly followed by 全称/账号/开户行, heads the
    grid rows next to it (above and below: it sits in the middle row of its cell). A line that
    is only 付款人 (or 付款人信息) heads the lines below it, until the next such heading.
    """
    markers: list[Marker] = []
    for line in lines:
        lone = len(line.tokens) == 1
        for i, token in enumerate(line.tokens):
            party = _heading_party(token, lone)
            if party is None:
                if not lone and (merged := _merged_heading(token)) is not None:
                    # 付款人 in a narrow cell printed a few points from 账号: the two read as
                    # one label (付款人账号), which still heads the 户名/开户行 rows around it
                    reach = 3.5 * line.height
                    top, bottom = line.top - reach, line.bottom + reach
                    markers.append(Marker(merged[0], merged[1], token.x0, top, bottom))
                continue
            following = line.tokens[i + 1] if i + 1 < len(line.tokens) else None
            if lone:  # heads the lines below it only
                below = line.bottom + 7 * line.height
                markers.append(Marker(party, token.text, token.x0, line.top, below, token))
            elif following is not None and following.field in PARTY_FIELDS:
                reach = 3.5 * line.height
                top, bottom = line.top - reach, line.bottom + reach
                markers.append(Marker(party, token.text, token.x0, top, bottom, token))
    return markers


_MERGED_HEADING = re.compile(r"^(?:(?P<payer>付款|汇款|付方)|收款|收方)人(?= ?(?:账号|账户|帐号)$)")


def _merged_heading(token: Token) -> tuple[str, str] | None:
    """Return (party, heading) for a 付款人账号 label that may be a heading run into 账号."""
    if token.field not in ("payer_account", "payee_account"):
        return None
    m = _MERGED_HEADING.match(token.text)
    if m is None:
        return None
    return ("payer" if m.group("payer") else "payee"), m.group(0)


def _heading_party(token: Token, lone: bool) -> str | None:
    if token.field in _SHORT_PARTY_LABELS:
        return "payer" if token.field == "payer_name" else "payee"
    if lone and token.field is None and (m := _SECTION.match(token.text)):
        return "payer" if m.group("payer") else "payee"
    return None


def _assign_parties(lines: list[Line], markers: list[Marker]) -> None:
    owning: set[int] = set()
    for line in lines:
        middle = (line.top + line.bottom) / 2
        for token in line.tokens:
            if token.field not in PARTY_FIELDS:
                continue
            owners = [
                m
                for m in markers
                if m.top <= middle <= m.bottom and m.x0 <= token.x0 + 2 and m.token is not token
            ]
            if not owners:
                continue
            # the heading nearest to the left wins; among headings in one column, the nearest
            # one above (stacked 付款人信息 / 收款人信息 sections)
            owner = max(owners, key=lambda m: (round(m.x0 / 8), -abs(middle - m.top)))
            token.field = f"{owner.party}_{token.field.removeprefix('party_')}"
            token.text = f"{owner.text} {token.text}"
            owning.add(id(owner))
    for marker in markers:
        # a heading that heads nothing is an ordinary label (e.g. 付款人： with the value below)
        if marker.token is not None and id(marker) in owning:
            marker.token.field = "marker"


# --------------------------------------------------------------------------------------------
# lines and cells


def _lines(words: Sequence[Word]) -> list[Line]:
    ordered = sorted(words, key=lambda w: (w["top"], w["x0"]))
    groups: list[list[Word]] = []
    bounds: list[tuple[float, float]] = []
    for w in ordered:
        middle = (w["top"] + w["bottom"]) / 2
        if groups and bounds[-1][0] <= middle <= bounds[-1][1]:
            groups[-1].append(w)
            top, bottom = bounds[-1]
            bounds[-1] = (min(top, w["top"]), max(bottom, w["bottom"]))
        else:
            groups.append([w])
            bounds.append((w["top"], w["bottom"]))
    lines = []
    for group, (top, bottom) in zip(groups, bounds, strict=True):
        group.sort(key=lambda w: w["x0"])
        lines.append(Line(top, bottom, _tokens(group)))
    return lines


def _lower_raised_values(lines: list[Line]) -> list[Line]:
    """Put values printed a little above their labels back on the labels' line.

    Some receipts (交通银行) set each value's baseline higher than its label's, so that the
    values form a line of their own that overlaps the labels' line. Such a label-less line is
    taken into the line below it when every piece of it sits between one of that line's labels
    and the next.
    """
    merged: list[Line] = []
    for line in lines:
        above = merged[-1] if merged else None
        if above is not None and _raised_values_of(above, line):
            line.tokens = sorted([*above.tokens, *line.tokens], key=lambda t: t.x0)
            line.top = above.top
            merged[-1] = line
        else:
            merged.append(line)
    return merged


def _raised_values_of(above: Line, line: Line) -> bool:
    if not above.top < line.top < above.bottom or any(t.field for t in above.tokens):
        return False
    labels = [t.x0 for t in line.tokens if t.field is not None]
    if not labels:
        return False
    gaps = list(zip(labels, [*labels[1:], float("inf")], strict=True))
    return all(any(a < t.x0 < b for a, b in gaps) for t in above.tokens)


def _tokens(words: list[Word]) -> list[Token]:
    tokens: list[Token] = []
    cell: list[Word] = []
    ends: list[Word | None] = [*words, None]
    for w in ends:
        if cell and w is not None:
            height = max(cell[-1]["bottom"] - cell[-1]["top"], 1.0)
            gap = w["x0"] - cell[-1]["x1"]
            # letter-spaced labels (金　额, 收 方 账 号) print one character per word
            spaced = _is_cjk_char(cell[-1]["text"]) and gap <= 1.6 * height
            if gap <= max(4.0, 0.45 * height) or spaced or _wide_spaced(cell, w, gap, height):
                cell.append(w)
                continue
        if cell:
            tokens += tokenise_cell([(c["text"], c["x0"], c["x1"]) for c in cell])
        cell = [w] if w is not None else []
    return tokens


def _wide_spaced(cell: list[Word], word: Word, gap: float, height: float) -> bool:
    """True when ``word`` continues a label printed one character per word with wide gaps.

    金　　额 and 开  户  行 leave two or more character widths between their characters, too
    wide for ordinary letter-spacing; they are rejoined only while the characters so far
    spell the start of a known label, so that two one-character values never merge.
    """
    # the last character may carry the colon and the value with it (额：￥12,345.60)
    if gap > 5 * height or not _is_cjk_char(word["text"][:1]):
        return False
    if not all(_is_cjk_char(c["text"]) for c in cell):
        return False
    return is_label_prefix("".join(c["text"] for c in cell) + word["text"][0])


# --------------------------------------------------------------------------------------------
# entries and regions


def _entries(line: Line) -> tuple[list[str], list[Entry]]:
    """Return the text before the first label, and the label/value pairs of a line."""
    plain: list[str] = []
    entries: list[Entry] = []
    for token in line.tokens:
        if token.field == "marker":
            continue
        if token.field is not None:
            entries.append(Entry(token.text, token.field, "", None, token.x0))
        elif entries:
            last = entries[-1]
            # a colon printed in its own column between the labels and the values
            text = token.text if last.value else token.text.removeprefix(":").strip()
            if not text:
                continue
            last.value = f"{last.value} {text}".strip()
            if last.value_x0 is None:
                last.value_x0 = token.x0
        else:
            plain.append(token.text)
    return plain, entries


def _join(head: str, tail: str) -> str:
    if head and tail and head[-1].isascii() and tail[0].isascii():
        return f"{head} {tail}"
    return head + tail


def _split_regions(lines: list[Line]) -> list[Region]:
    regions: list[Region] = []
    current = Region()
    pending: list[str] = []  # unlabeled lines after the current receipt's last label
    previous: tuple[Line, Entry] | None = None
    label_row: tuple[Line, list[Entry]] | None = None  # several labels, values on the next line
    for line in lines:
        plain, entries = _entries(line)
        if not entries and not plain:  # only a 付款人/收款人 heading
            previous = label_row = None
            continue
        if not entries and label_row is not None and _right_below(label_row[0], line):
            _fill_columns(label_row[1], line)
            previous = label_row = None
            continue
        label_row = None
        if not entries:
            text = " ".join(plain)
            if previous is not None and _continues(previous, line, text):
                entry = previous[1]
                entry.value = _join(entry.value, text)
                entry.value_x0 = entry.value_x0 if entry.value_x0 is not None else line.tokens[0].x0
                previous = (line, entry)
                continue
            previous = None
            if text and TITLE.search(text) and current.entries:
                regions.append(current)
                current, pending = Region(texts=[*pending]), []
            pending.append(text)
            continue
        if current.entries and _split_keys(current.entries) & _split_keys(entries):
            regions.append(current)
            current = Region()
        current.texts += pending
        pending = []
        if plain:
            current.texts.append(" ".join(plain))
        current.entries += entries
        previous = (line, entries[-1])
        if len(entries) > 1 and not any(e.value for e in entries):
            label_row = (line, entries)
    current.texts += pending
    if current.entries:
        regions.append(current)
    elif regions:
        regions[-1].texts += current.texts
    return regions


def _split_keys(entries: list[Entry]) -> set[str]:
    """What may appear once per receipt: a second one starts the next receipt.

    A receipt prints several remittance texts under different labels (ICBC: 摘要 "转账",
    用途 "货款...", 备注), and an advice several amounts (HSBC: Debit amount, Remittance
    amount), so for those only the same label twice counts.
    """
    keys = set()
    for e in entries:
        if e.field == OTHER or e.field in PARTY_FIELDS:
            continue
        keys.add(f"{e.field}:{e.label}" if e.field in ("reference", "amount") else e.field)
    return keys


def _right_below(above: Line, line: Line) -> bool:
    return 0 <= above.gap_to(line) <= 1.2 * above.height


def _fill_columns(labels: list[Entry], line: Line) -> None:
    """Give each value of ``line`` to the label printed above it (labels in columns)."""
    for token in line.tokens:
        if token.field is not None:
            continue
        owners = [e for e in labels if e.label_x0 <= token.x0 + 3]
        if not owners:
            owners = labels[:1]  # a value that starts left of every label: the first column's
        owner = max(owners, key=lambda e: e.label_x0)
        owner.value = _join(owner.value, token.text) if owner.value else token.text
        if owner.value_x0 is None:
            owner.value_x0 = token.x0


def _continues(previous: tuple[Line, Entry], line: Line, text: str) -> bool:
    """A label-less line right under a value, starting where the value starts, wraps it."""
    prev_line, entry = previous
    if not line.tokens or prev_line.gap_to(line) > 1.2 * prev_line.height:
        return False
    start = line.tokens[0].x0
    if entry.value_x0 is None:
        # a label printed with its value on the next line; never swallow the next title
        return entry.field != OTHER and start >= entry.label_x0 - 3 and not TITLE.search(text)
    return abs(start - entry.value_x0) <= 3
