"""MT940 bytes to clean text: code pages, SWIFT envelopes, bank headers, wrapped fields, the
statements of a file, statement-level ``:86:`` fields and tolerant ``:61:`` statement lines."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .codepages import decode_single_byte

_TAG_LINE = re.compile(r"^:(?P<tag>\d{2}[A-Z]?|NS):")
# tags whose value is one line: a line after them that is not a tag is a wrapped part of it
_ONE_LINE_TAGS = frozenset(
    {"20", "21", "25", "28", "28C", "60F", "60M", "60", "62F", "62M", "62", "64", "65"}
    | {"90C", "90D", "34F", "13", "13D"}
)
_END_MARK = re.compile(r"^(?:-(?:XXX)?\}?|\}|XXX)\s*$")
_STRAY_END = re.compile(r"^-(?=:(?:\d{2}[A-Z]?|NS):)")
_SWIFT_BLOCK = re.compile(r"\{[1235]:(?:[^{}]|\{[^{}]*\})*\}")
_AT_AT_TAG = re.compile(r"@@:(?:\d{2}[A-Z]?|NS):")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# SWIFT's ``6*65x``: a field line holds at most 65 characters (the tag not counted)
FULL_LINE = 65
# a line longer than this was not cut at any width: its writer does not cut (Bunq writes 72)
UNCUT_LINE = 70
# the narrowest width a writer is taken to cut its lines at (see wrap_width)
_NARROWEST_CUT = 60


def decode(data: bytes) -> tuple[str, str]:
    """Return the text of ``data`` and the encoding chosen.

    UTF-8 when the bytes are valid UTF-8; otherwise the single-byte code page whose reading looks
    most like a language's letters (:func:`.codepages.decode_single_byte`: Windows-1252, ISO
    8859-2 and CP1250 for Polish banks such as mBank, CP850 for German and Swiss banking
    software, CP852 for Raiffeisen Hungary...).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # PKO BP fills empty subfields with byte 0xFF (CP1250's "˙"): a filler, not a letter of the
    # words around it, so it does not vote for a code page
    return decode_single_byte(data, ignore=b"\xff")


def clean(text: str) -> str:
    """Return MT940 text with the wrappers and oddities real files carry normalised away."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    if _AT_AT_TAG.search(text):
        # FinTS (HBCI) hands MT940/MT942 over with "@@" standing for each line break (FinTS
        # 3.0 Formals, S.W.I.F.T. formats), inside a field too ("...BI@@?24C: COBADEHD001")
        text = text.replace("@@", "\n")
    # ING writes dates as 10<SHY>06<SHY>2010: a soft hyphen the bank meant as a visible one
    text = text.replace("\u00ad", "-")
    text = _SWIFT_BLOCK.sub("\n", text)
    text = re.sub(r"\{4:", "\n", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    # Sparkassen end a message with "-" and start the next tag on the same line ("-:61:...");
    # the spaces a line ends with are kept for now (see _drop_headers)
    lines = [_tidy_line(line) for line in text.split("\n")]
    # Sparkasse splits a tag as ":" + newline + "86:..."
    joined: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            line.strip() == ":"
            and i + 1 < len(lines)
            and re.match(r"^(\d{2}[A-Z]?|NS):", lines[i + 1])
        ):
            joined.append(":" + lines[i + 1])
            i += 2
            continue
        joined.append(line)
        i += 1
    return "\n".join(_drop_headers(joined, keep_ends=not _padded(joined)))


_PADDED_FIELD = re.compile(r"^:(?P<tag>20|25|28C?|6[0245][FM]?|61):.*\S\s+$")
# a run of three or more spaces after a line's text: filler up to a width
_FILLED = re.compile(r"\S {3,}$")


def _padded(lines: list[str]) -> bool:
    """True when the writer pads its lines, so that the spaces a line ends with tell nothing.

    Such a writer shows it on its fields of one line, more than one kind of them (cmxl ends
    every line with a space, Moneyou fills ``:28:`` and ``:61:`` to fixed widths), or fills its
    ``:86:`` lines with runs of spaces (ASN, Rabobank's old format). A space or two at the end
    of an ``:86:`` line is the text's own: the space where ING and Van Lanschot cut a line
    (``... 01-01-2014  3 `` / ``MND``), mBank's two between a name and an address; Van
    Lanschot's ``:25:``, filled alone, does not make its other lines padded.
    """
    tags = {m.group("tag") for line in lines if (m := _PADDED_FIELD.match(line))}
    if len(tags) >= 2:
        return True
    in_86 = False
    for line in lines:
        if tag := _TAG_LINE.match(line):
            in_86 = tag.group("tag") == "86"
        if in_86 and _FILLED.search(line):
            return True
    return False


def _tidy_line(line: str) -> str:
    """One physical line with a stray end mark taken off and a balance in the textbook form,
    the spaces it ends with kept."""
    text = line.rstrip()
    return _balance_line(_STRAY_END.sub("", text)) + line[len(text) :]


_BALANCE_LINE = re.compile(
    r"^:(?P<tag>6[0245][FM]?):?(?P<head>[CD]\d{6}[A-Z]{3})[A-Z]?\s?(?P<amount>\d[\d.,' ]*)$"
)


def _balance_line(line: str) -> str:
    """Rewrite a balance the way LBBW and others bend ``1!a6!n3!a15d`` into the textbook form.

    Tolerated: no colon after the tag (``:62FC221018EUR1,00``), a fourth letter after the
    currency (``EURO0,00``), a space before the amount, thousands separators in it.
    """
    m = _BALANCE_LINE.match(line)
    if m is None:
        return line
    amount = _mt940_amount(m.group("amount"))
    if amount is None:
        return line
    return f":{m.group('tag')}:{m.group('head')}{amount}"


def _drop_headers(lines: list[str], *, keep_ends: bool) -> list[str]:
    """Drop header lines outside tags and fold wrapped one-line tags back together.

    Lines lose the spaces they end with, except those of an ``:86:`` when ``keep_ends``: ING
    cuts its text at the field width or a word's end, and a space that falls at the cut is the
    only sign of the word boundary there (``... op KPN.com `` / ``of Hi.nl``). ING's old files
    end each message with a line ``XXX`` (then the next message's header lines), like ``-}``.
    The end of a message that closed its statement stays as a :data:`MESSAGE_END` line when an
    entry follows it before the next ``:20:`` (see :func:`split_statements`).
    """
    # the tag on or after each line, to tell a message's end mark from a "-" in a value
    next_tag: list[str | None] = [None] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        m = _TAG_LINE.match(lines[i])
        next_tag[i] = m.group("tag") if m else next_tag[i + 1]
    groups: list[list[str]] = []  # one list of lines per tag
    current: str | None = None  # the tag whose value the next line continues; None = skipping
    state = _OPEN
    for i, line in enumerate(lines):
        state = _message_state(state, line)
        m = _TAG_LINE.match(line)
        if m:
            current = m.group("tag")
            groups.append([line if keep_ends and current == "86" else line.rstrip()])
            continue
        if current is None or not line.strip():
            continue  # header lines (0000 01INGBNL2A..., ABNANL2A, 940, :940:) and blank lines
        if _END_MARK.match(line.strip()):
            if state == _ENDED and next_tag[i + 1] == "61":
                groups.append([MESSAGE_END])  # entries outside any statement follow
                current = None
                continue
            if next_tag[i + 1] in (None, "20"):
                current = None  # end of a message: whatever follows up to :20: is a header
                continue
            # a "-" inside a wrapped :86: (ING mandate ids: MND-EV01) goes on; a "-" line right
            # before the next tag is a stray end mark (Sparkassen write one between entries)
            if line.strip() not in ("}", "XXX") and not _TAG_LINE.match(lines[i + 1]):
                groups[-1][-1] = groups[-1][-1].rstrip() + "-"
            elif line.strip() == "XXX":
                groups[-1].append(line)  # text of the field, not the end of the message
            continue
        if current in _ONE_LINE_TAGS:
            groups[-1][-1] += line.strip()  # ING wraps ":28C:0000" + "0"
            continue
        groups[-1].append(line if keep_ends and current == "86" else line.rstrip())
    out: list[str] = []
    for group in groups:
        if group[0].startswith(":61:") and len(group) > 2:
            group = _join_statement_line(group)
        out.extend(group)
    return out


def _join_statement_line(group: list[str]) -> list[str]:
    """Fold a ``:61:`` spread over several lines into the statement line plus one detail line.

    ING wraps the bank reference (``EREF//00000000001`` + ``005``) and the ``/TRCD/`` code
    (``/TRCD/010`` + ``16`` + ``/``); the library reads one supplementary line only.
    """
    first, rest = group[0], [line.strip() for line in group[1:]]
    if "//" in first and re.fullmatch(r"[0-9A-Za-z]+", rest[0]):
        first, rest = first + rest[0], rest[1:]
    return [first, "".join(rest)] if rest else [first]


# a line of clean text: the end of a message that closed its statement, entries after it
# (see _message_state)
MESSAGE_END = "-"
_OPEN, _CLOSED, _ENDED, _OUTSIDE = "open", "closed", "ended", "outside"


def _message_state(state: str, line: str) -> str:
    """Where the text is after ``line``: in a statement (open), past its closing balance
    (closed), at the end mark after that (ended), and outside any statement when an entry
    (``:61:``) follows that end mark, up to the next ``:20:``. Any other field after the end
    mark goes on the message as before (Sparkassen's stray ``-`` between fields)."""
    m = _TAG_LINE.match(line)
    if m is None:
        return _ENDED if state == _CLOSED and _END_MARK.match(line.strip()) else state
    tag = m.group("tag")
    if tag == "20" or (state == _ENDED and tag != "61"):
        return _OPEN
    if state == _ENDED:
        return _OUTSIDE
    return _CLOSED if tag.startswith("62") and state == _OPEN else state


def split_statements(text: str) -> list[str]:
    """Split clean MT940 text into one block per statement (each ``:20:`` starts one).

    A fragment before the first ``:20:`` that holds entries or balances is a statement too.
    Entries after the end of a message that closed its statement (wolph/mt940's
    ``multiline.sta``: a ``:61:`` after the ``-`` that follows the closing balance) lie outside
    any statement: they stay at the end of the block, after a :data:`MESSAGE_END` line
    (:func:`detach_outside_entries`).
    """
    blocks = [b for b in re.split(r"(?m)^(?=:20:)", text) if b.strip()]
    return [b for b in blocks if re.search(r"(?m)^:(?:20|61|60[FM]?|62[FM]?):", b)]


def detach_outside_entries(block: str) -> tuple[str, str]:
    """Cut a block of :func:`split_statements` into its statement and the entries after the
    statement's end that lie outside any statement (``""`` when there are none)."""
    statement, end, outside = block.partition(f"\n{MESSAGE_END}\n")
    return (statement + "\n" if end else statement), outside


def outside_entry_lines(text: str) -> list[int]:
    """The numbers (from 1) of the lines of ``text`` (as decoded, before :func:`clean`) that
    hold an entry outside any statement (see :func:`split_statements`), in order."""
    found: list[int] = []
    state = _OPEN
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = _STRAY_END.sub("", _SWIFT_BLOCK.sub("", raw).strip())
        state = _message_state(state, line)
        if state == _OUTSIDE and line.startswith(":61:"):
            found.append(number)
    return found


# the fields a whole statement has (an opening or closing balance may be final or intermediate)
_STATEMENT_FIELDS = (("20",), ("25",), ("28C", "28"), ("60F", "60M"), ("61",), ("62F", "62M"))


def fragment_fields(text: str) -> tuple[list[str], list[str]] | None:
    """Tell a fragment of a statement from a statement, in clean MT940 text.

    A file cut out of a statement (only its balance lines, or starting in the middle of a
    message) has neither the ``:20:`` that starts a statement nor any ``:61:`` entry: there is
    nothing to read, and an empty result would hide that the export is incomplete.

    :returns: None for text with a ``:20:`` or a ``:61:``; otherwise the tags it holds and the
        statement fields it lacks (``:20:``, ``:25:``, ``:28C:``, ``:60F:``, ``:61:``, ``:62F:``),
        each in order.
    """
    found = list(
        dict.fromkeys(m.group("tag") for m in re.finditer(r"(?m)^:(?P<tag>\d{2}[A-Z]?|NS):", text))
    )
    if "20" in found or "61" in found:
        return None
    missing = [tags[0] for tags in _STATEMENT_FIELDS if not set(tags) & set(found)]
    return [f":{t}:" for t in found], [f":{t}:" for t in missing]


def detach_statement_information(block: str, *, width: int = FULL_LINE) -> tuple[str, list[str]]:
    """Take the statement-level ``:86:`` fields out of one statement's clean text.

    An ``:86:`` belongs to the entry when it follows that entry's ``:61:`` (or another
    ``:86:`` of that entry, as Rabobank repeats the tag); one after the
    balances (``:62F:``, ``:64:``, MT942 ``:90C:``) or before the first entry informs about the
    statement, and the library would otherwise glue it to the last entry's details.

    :returns: the block without those fields, and their texts (lines joined with a space).
    """
    kept: list[str] = []
    information: list[list[str]] = []
    previous: str | None = None
    target: list[str] | None = None  # where continuation lines of the current tag go
    for line in block.split("\n"):
        m = _TAG_LINE.match(line)
        if m is None:
            (target if target is not None else kept).append(line)
            continue
        tag = m.group("tag")
        if tag == "86" and previous != "61":
            information.append([line[m.end() :]])
            target = information[-1]
        else:
            kept.append(line)
            target = None
            # Rabobank repeats :86: for one entry, and a bank's own :NS: text may stand between
            # the :61: and its :86: (mt940js' test-with-NS): such a run stays with the :61:
            previous = "61" if tag in ("86", "NS") and previous == "61" else tag
            continue
        previous = tag
    texts = [join_wrapped_lines(lines, width=width) for lines in information]
    return "\n".join(kept), [t for t in texts if t]


def wrap_width(text: str) -> int:
    """The width at which the writer of clean MT940 ``text`` cuts its ``:86:`` lines.

    SWIFT's width is 65 (:data:`FULL_LINE`), and most writers that cut a text where the width
    runs out cut it there. Some cut a little narrower (MultiCash exports of Polish banks at
    64). Such a width shows in the file's ``:86:`` fields: no line is longer, and at least two
    of the lines a field goes on after, and half of them, are exactly that long. It is taken
    from 60 characters on (shorter lines are columns or short texts, not cuts) and only where
    no field of the file shows a writer that wraps at words (:func:`wraps_at_words`), whose
    longest lines are as long as the words happened to let them be.
    """
    fields = [
        [m.group("first"), *m.group("rest").split("\n")[1:]] for m in _DETAILS_FIELD.finditer(text)
    ]
    inner = [len(line) for lines in fields for line in lines[:-1]]
    widest = max((len(line) for lines in fields for line in lines), default=0)
    at_widest = inner.count(widest)
    if not _NARROWEST_CUT <= widest < FULL_LINE or at_widest < 2 or 2 * at_widest < len(inner):
        return FULL_LINE
    if any(wraps_at_words(lines, width=widest) for lines in fields):
        return FULL_LINE
    return widest


# an :86: field of clean text: its first line without the tag, then its other lines
_DETAILS_FIELD = re.compile(r"(?m)^:86:(?P<first>.*)(?P<rest>(?:\n(?!:\w{2,3}:).*)*)")


def join_wrapped_lines(lines: list[str], *, width: int = FULL_LINE) -> str:
    """Join the physical lines of a free-text field into one text.

    Writers break a long text in one of two ways. ING, PostFinance, Knab and ASN cut it into
    65-character pieces wherever the width runs out, often inside a word or a reference
    (``... 1 SONNE`` / ``NGLAESER``), keeping a space that falls at the cut as the first
    character of the next line (or the last of the line). Others (Raiffeisen, mBank, ABN AMRO's
    32-character columns) end a line where a word or a column ends, shorter than the width, or
    pad it with spaces that the reader strips. A break is a space, except after a full line
    with no space on either side of the break: a word cut there goes on, unless the field shows
    a writer that wraps at words (:func:`wraps_at_words`), whose full line ends a word like any
    other. A line is full from ``width`` characters (the file's, :func:`wrap_width`) up to a
    few past it (ING writes 66, SNS a 66th now and then), not when well past it
    (:data:`UNCUT_LINE`). A writer that drops the space where its cut falls between two words
    (my-flow's MultiCash file: ``Symbol`` / ``formul.``) has those words joined: nothing on the
    lines tells that cut from one inside a word.
    """
    text = lines[0] if lines else ""
    words = wraps_at_words(lines, width=width)
    for previous, line in itertools.pairwise(lines):
        full = width <= len(previous) <= UNCUT_LINE
        cut = full and not previous[-1:].isspace() and not words
        text += line if cut else f" {line}"
    return " ".join(text.split())


def wraps_at_words(lines: list[str], *, width: int = FULL_LINE) -> bool:
    """True when a field's line breaks show a writer that ends its lines at words.

    Such a writer leaves a line short of the width when the next word would not fit on it
    (mBank's ``...; Z RACH.: `` / ``56114010810000267002001001;``, Raiffeisen's text); one that
    cuts at the width never does. A short first line (ASN and SNS put the other party there), a
    line before one that starts with a space (ING and PostFinance carry the space at their
    cut over) or before a label of its own (Knab's ``REK:``) shows nothing.
    """
    for line, following in itertools.pairwise(lines[1:]):
        text = line.rstrip()
        word = following.split()[0] if following[:1].strip() else ""
        if not word or word.endswith(":"):
            continue
        if len(text) <= width - 2 and len(text) + 1 + len(word) > width:
            return True
    return False


_STATEMENT_LINE = re.compile(
    r"""^:61:\s*
    (?P<date>\d{6})(?P<entry>\d{4}|\s{4})?\s?
    (?P<mark>R?[DC]|E[DC])(?P<funds>[A-Z])?\s?
    (?P<amount>\d(?:[\d.,' ]*[\d.,])?)(?![\d.,])\s?
    (?:(?!NONREF)(?P<id>[A-Z][A-Z0-9 ]{3}))?
    (?P<cref>(?:(?!//).)*)
    (?://(?P<bref>.*))?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class EntryRefs:
    """What :func:`normalise_statement_lines` read from one ``:61:`` beyond the library's reach.

    ``None`` means "as the library reads it".
    """

    customer_ref: str | None = None
    """The customer reference as written, whole (the library keeps 16 characters, and puts a
    German ``:86:``'s ``KREF+`` in its place)."""
    bank_ref: str | None = None
    """The bank reference whole (the library keeps 23 characters)."""
    no_type_code: bool = False
    """The line has no transaction type code (``D20,00NONREF``)."""


_FIELD = re.compile(r":\d\d[A-Z]?:")


def split_entries(block: str) -> tuple[str, list[str], str]:
    """Cut a statement into what precedes its first ``:61:``, its entries (each ``:61:`` with
    its ``:86:`` and any line up to the next ``:61:``) and what follows the last (closing
    balances). ``head + "".join(entries) + tail`` is the block again."""
    lines = block.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(":61:")]
    if not starts:
        return block, [], ""
    end = next(
        (
            i
            for i in range(starts[-1] + 1, len(lines))
            if _FIELD.match(lines[i]) and not lines[i].startswith(":86:")
        ),
        len(lines),
    )
    bounds = [*starts, end]
    entries = ["".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]
    return "".join(lines[: starts[0]]), entries, "".join(lines[end:])


def normalise_statement_lines(block: str) -> tuple[str, list[EntryRefs]]:
    """Rewrite each ``:61:`` into the textbook form the library reads, keeping long references.

    Tolerated: a space after the tag or around the mark, an amount with a decimal point or
    thousands separators (``1.000,00``, ``100.50``, ``12345``), a customer reference longer
    than 16 and a bank reference longer than 23 characters (returned whole, in entry order),
    and no transaction type code before a ``NONREF`` customer reference.
    A line that does not fit even this form is left for the library to report.
    """
    out: list[str] = []
    refs: list[EntryRefs] = []
    for line in block.split("\n"):
        if not line.startswith(":61:"):
            out.append(line)
            continue
        m = _STATEMENT_LINE.match(line)
        amount = _mt940_amount(m.group("amount")) if m else None
        cref = m.group("cref") if m else ""
        no_type = m is not None and m.group("id") is None
        if (
            m is None
            or amount is None
            or (no_type and m.group("bref") is None and not cref.startswith("NONREF"))
        ):
            out.append(line)
            refs.append(EntryRefs())
            continue
        # without a type code the library would read "NONR" of "NONREF" as one, and it starts a
        # new entry only after one that has a type code: give it a neutral one, dropped later
        head = _statement_head(m, amount, "NMSC" if no_type else m.group("id"))
        bref = m.group("bref")
        if bref is None:
            token = cref.strip()
            if len(token) > 16 and not re.search(r"\s", token):
                # one reference longer than 16 characters (ASN: the other party's IBAN)
                out.append(head + token[:16])
                refs.append(EntryRefs(customer_ref=token, no_type_code=no_type))
                continue
            # no "//": the customer reference is 16 characters and what follows on the line
            # is supplementary detail (old Rabobank: the other party's account and name)
            out.append(head + cref)
            refs.append(EntryRefs(customer_ref=cref[:16], no_type_code=no_type))
            continue
        refs.append(
            EntryRefs(customer_ref=cref.strip(), bank_ref=bref.strip(), no_type_code=no_type)
        )
        out.append(f"{head}{cref.strip()[:16]}//{bref.strip()[:23]}")
    return "\n".join(out), refs


def _statement_head(m: re.Match[str], amount: str, type_code: str) -> str:
    """The textbook start of a ``:61:`` line, up to and including the type code."""
    entry = (m.group("entry") or "").strip()
    mark = m.group("mark").replace("E", "")  # MT942 expected entries read as booked
    return f":61:{m.group('date')}{entry}{mark}{m.group('funds') or ''}{amount}{type_code}"


_STATEMENT_NUMBER = re.compile(r"^:28C?:(?P<value>.*)$", re.MULTILINE)


def detach_statement_number(block: str) -> tuple[str, str | None]:
    """Take out a ``:28C:`` the library cannot read (``:28C: /1``: no statement number).

    :returns: the block, without that line when it is unreadable, and the value it had.
    """
    m = _STATEMENT_NUMBER.search(block)
    if m is None:
        return block, None
    value = "".join(m.group("value").split())
    if re.fullmatch(r"\d{1,5}(?:/\d{1,5})?", value):
        return block[: m.start("value")] + value + block[m.end("value") :], None
    return block[: m.start()] + block[m.end() + 1 :], m.group("value").strip()


def _mt940_amount(text: str) -> str | None:
    """Return ``text`` as an MT940 amount (``1234,5``), or None when it is no number."""
    digits = text.replace(" ", "").replace("'", "")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif digits.count(",") == 1:
        decimal = ","
    elif digits.count(".") == 1:
        decimal = "."
    elif not digits.strip(",."):
        return None
    else:
        decimal = ","
    thousands = "." if decimal == "," else ","
    digits = digits.replace(thousands, "")
    whole, _, fraction = digits.partition(decimal)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return f"{whole},{fraction}"


_ONCE_FIELD = re.compile(r"^:(?P<tag>25|28C?):(?P<value>.*)(?:\n|$)", re.MULTILINE)


def detach_repeated_fields(block: str) -> tuple[str, list[tuple[str, str]]]:
    """Take out a second ``:25:`` or ``:28C:`` in one statement.

    A statement has one account and one number; the library keeps the last it meets, so a
    bank that writes an entry's ``:86:`` text under ``:25:`` would give every entry that text
    as the account. The first one stands, and the caller warns about the others.

    :returns: the block without the repeated lines, and each one's tag and value.
    """
    seen: set[str] = set()
    dropped: list[tuple[str, str]] = []

    def drop(m: re.Match[str]) -> str:
        kind = m.group("tag")[:2]
        if kind not in seen:
            seen.add(kind)
            return m.group(0)
        dropped.append((m.group("tag"), m.group("value").strip()))
        return ""

    return _ONCE_FIELD.sub(drop, block), dropped


_BALANCE_FIELD = re.compile(r"^:(?P<tag>6[0245][FM]?):(?P<value>.*)(?:\n|$)", re.MULTILINE)
# what the library reads of ``1!a6!n3!a15d`` (a month past 12 it cannot turn into a date)
_READABLE_BALANCE = re.compile(r"[DC]\d\d(?:0[1-9]|1[0-2])\d\d.{3}[0-9,]{0,16}")


def detach_unreadable_balances(block: str) -> tuple[str, list[tuple[str, str]]]:
    """Take out the balance lines (``:60F:`` ... ``:65:``) whose value is no balance at all.

    A bank that writes ``:65:Dnullnull7414,3`` still books its entries right: the statement is
    read without that line, and the caller warns about it.

    :returns: the block without those lines, and each one's tag and value.
    """
    dropped: list[tuple[str, str]] = []

    def drop(m: re.Match[str]) -> str:
        if _READABLE_BALANCE.match(m.group("value")):
            return m.group(0)
        dropped.append((m.group("tag"), m.group("value").strip()))
        return ""

    kept = _BALANCE_FIELD.sub(drop, block)
    return kept, dropped
