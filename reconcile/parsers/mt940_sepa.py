"""German GVC ``:86:`` ("Mehrzweckfeld"): ``?nn`` subfields and the SEPA keywords in them.

A three-digit business code, then subfields ``?nn`` (the separator is the fourth character,
usually ``?``; BRD in Romania writes ``+``, Polish banks ``^`` or ``~``): ``?00`` posting text,
``?10`` prima nota, ``?20``-``?29`` and ``?60``-``?63`` purpose, ``?30`` bank code/BIC, ``?31``
account/IBAN, ``?32``-``?33`` name, ``?34`` text key extension (Polish banks: ``?20``-``?29`` the
title, ``?38`` the IBAN, ``?62``-``?63`` the address). Physical lines break anywhere, even inside
a value, so lines are joined without a gap.

The purpose holds the SEPA keywords of the Deutsche Kreditwirtschaft (``EREF+`` end-to-end
reference, ``KREF+`` customer reference, ``MREF+`` mandate, ``CRED+`` creditor id, ``SVWZ+``
remittance text, ``ABWA+``/``ABWE+`` ultimate parties, ``IBAN+``, ``BIC+``, ``PURP+``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..iban import check_digits_fit
from .mt940_pl_address import split_address

Fields = dict[str, str | None]

# the business code may be left out before "?" subfields ("?00GUTSCHRIFT?20...")
# (Polish banks mark subfields with "~", "^", "<" or ">", some with a four-digit code or none:
# 020~00PRZELEW~20..., 0200<00p. wychodzacy<20..., <00Przelewy przychodzace<20...)
GVC_START = re.compile(
    r"^\s*(?:(?P<code>\d{3}|\d{4}(?=[<^~]))\s?(?P<sep>[?/<>@#+^~])|(?P<bare>\?|[<^~](?=00)))"
    r"(?=\d{2})"
)


def subfield_mark(m: re.Match[str]) -> str:
    """The character a ``:86:`` matched by :data:`GVC_START` marks its subfields with."""
    return m.group("sep") or m.group("bare")


_SEPA_KEYS = (
    "EREF",
    "KREF",
    "MREF",
    "CRED",
    "DEBT",
    "SVWZ",
    "ABWA",
    "ABWE",
    "IBAN",
    "BIC",
    "COAM",
    "OAMT",
    "PURP",
)
_SEPA_SPLIT = re.compile(r"(" + "|".join(_SEPA_KEYS) + r")\+(?!\+)")
# the keywords whose value is an identifier, a code or an amount rather than text
_IDENTIFIERS = frozenset(
    {"EREF", "KREF", "MREF", "CRED", "DEBT", "IBAN", "BIC", "COAM", "OAMT", "PURP"}
)
# a ?20-?29 subfield holds 27 characters; a shorter one ends where its writer ended the value
_FULL_SUBFIELD = 27
_SUBFIELD_END = "\x00"  # marks the end of a subfield that is not full (control characters are
# gone from the text by now)
_FULL_END = "\x01"  # marks the end of a full subfield that a capitalised word follows
# marks where a physical line ended right before the next subfield (see subfield_lines)
LINE_END = "\x1e"
NONREF = frozenset({"", "NONREF", "NOTPROVIDED", "NONE"})
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_NRB = re.compile(r"\d{26}")


def gvc(text: str) -> Fields:
    """Read the German ``NNN?00..?63`` form (see the module docstring)."""
    m = GVC_START.match(text)
    assert m is not None
    mark = subfield_mark(m)
    sep = re.escape(mark)
    # "?" is reserved for the subfield marks, so a "?" with a key that is no number starts an
    # unknown subfield (Deutsche Bank's "?2A..."), dropped like an unknown number; with the
    # other separators ("/", "+") a non-numeric key is text of the value
    key_pattern = r"\d{2}|[0-9A-Z]{2}" if mark == "?" else r"\d{2}"
    start = m.end("code") if m.group("code") else m.start("bare")
    parts = re.split(rf"{sep}({key_pattern})", text[start:])
    sub: dict[int, list[str]] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        if key.isdigit():
            # PKO BP fills an empty subfield with byte 0xFF ("˙" in CP1250, "ÿ" in CP1252)
            # a line-end mark counts at the value's end only (see _settle_end)
            end = LINE_END if value.endswith(LINE_END) else ""
            value = value.replace(LINE_END, "")
            sub.setdefault(int(key), []).append("" if _FILLER.fullmatch(value) else value + end)
    polish = mark in "~^<>" or 38 in sub
    sub = {n: [_settle_end(v, polish) for v in values] for n, values in sub.items()}
    purpose = _ANGLE_PURPOSE if mark == "<" else _purpose_keys(sub, polish)
    pieces = [v for n in purpose for v in sub.get(n, [])]
    sepa = _sepa_keywords(pieces, polish=polish)
    # a name subfield holding only "/" (BRD's empty tax id in ?33) adds nothing to the name
    names = _name_pieces(sub, pieces, sepa)
    # Polish banks cut the name anywhere; German ones as the purpose (``?32MUSTERMANN GMBH``
    # ``?33NIEDERLASSUNG SUED`` are two words even on one line)
    name = (_gvc_join(names) if polish else _join_words(names)).strip(" /")
    out: Fields = {
        "gvc": m.group("code"),
        "posting_text": _clean("".join(sub.get(0, []))),
        "prima_nota": _clean("".join(sub.get(10, []))),
        "bank": _clean("".join(sub.get(30, [])), spaces=False),
        "account": _clean("".join(sub.get(31, [])), spaces=False),
        "name": _clean(name) or _clean(sepa.get("ABWA")) or _clean(sepa.get("ABWE")),
        "text_key_extension": _clean("".join(sub.get(34, []))),
    }
    # Polish banks (ZBP variant) put the other party's IBAN (or its 26-digit NRB, the IBAN
    # without "PL") in ?38 and a bank-local number in ?31
    iban = _clean("".join(sub.get(38, [])), spaces=False)
    if iban and (_IBAN.fullmatch(iban) or _NRB.fullmatch(iban)):
        if not _IBAN.fullmatch(out["account"] or ""):
            out["account"] = iban
    if mark == "<":
        _angle_party(sub, out)
    elif polish:
        _polish_party(sub, out)
    if not out["account"] and sepa.get("IBAN"):
        out["account"] = _clean(sepa["IBAN"], spaces=False)
    if not out["bank"] and sepa.get("BIC"):
        out["bank"] = _clean(sepa["BIC"], spaces=False)
    out["reference"] = _clean(sepa.get("SVWZ") if "SVWZ" in sepa else sepa.get("", "")) or ""
    if "SVWZ" in sepa and sepa.get(""):
        out["reference"] = _clean(f"{sepa['']} {out['reference']}") or ""
    # a purpose of only a dash (Kontist's ``?20-``) is the bank's filler for none
    if not any(ch.isalnum() for ch in out["reference"] or ""):
        out["reference"] = ""
    # KREF+ (the payer's own reference) stays a field of its own: the :61: customer reference
    # is the one written there
    out["end_to_end_ref"] = _reference(sepa.get("EREF"))
    out["customer_ref"] = _reference(sepa.get("KREF"))
    out["mandate_ref"] = _reference(sepa.get("MREF"))
    out["creditor_id"] = _clean(sepa.get("CRED"), spaces=False)
    out["ultimate_party"] = _clean(sepa.get("ABWA") or sepa.get("ABWE"))
    out["purpose_code"] = _clean(sepa.get("PURP"))
    return out


def _name_pieces(sub: dict[int, list[str]], purpose: list[str], sepa: dict[str, str]) -> list[str]:
    """The subfields that hold the other party's name: ``?32``, then ``?33``.

    ``?33`` is the name's second line: without a ``?32`` it goes on with nothing of the name,
    and a fragment is no name. Where the purpose ends in an ultimate party (``ABWA+``,
    ``ABWE+``) cut at the subfield's width, ``?33`` goes on with that (LBBW's
    ``?21ABWA+J.W.ZANDER GMBH   CO. KG F?33REIBURG I.BR.``).

    :param sepa: the purpose's keywords; an ultimate party that ``?33`` goes on with is
        given the rest in place.
    """
    if any(v.strip(" /") for v in sub.get(32, [])):
        return [v for n in (32, 33) for v in sub.get(n, [])]
    rest = "".join(sub.get(33, []))
    keys = _SEPA_SPLIT.findall("".join(purpose))
    party = keys[-1] if keys else ""
    if rest.strip(" /") and party in ("ABWA", "ABWE") and len(purpose[-1]) >= _FULL_SUBFIELD:
        sepa[party] += rest
    return []


# the German purpose: ?20-?29 and ?60-?63
_DE_PURPOSE = (*range(20, 30), *range(60, 64))
# the Polish (ZBP) title: ?20-?29 (?29 unless it holds the other party's account)
_PL_PURPOSE = tuple(range(20, 29))
_FILLER = re.compile(r"[\s\u02d9\u00ff]*")
# PKO BP's ?60 holds the document's date
_DATE_ONLY = re.compile(r"\s*(?:\d{4}-?\d{2}-?\d{2}|\d{2}[.-]\d{2}[.-]\d{4}|\d{6})\s*")


def _purpose_keys(sub: dict[int, list[str]], polish: bool) -> tuple[int, ...]:
    if not polish:
        return _DE_PURPOSE
    return _PL_PURPOSE if _polish_account(sub) else (*_PL_PURPOSE, 29)


def _polish_account(sub: dict[int, list[str]]) -> str | None:
    """The 26-digit account (or IBAN) some Polish banks write in ``?29``, else None."""
    number = "".join(_gvc_join(sub.get(29, [])).split())
    return number if _NRB.fullmatch(number) or _IBAN.fullmatch(number) else None


def _polish_party(sub: dict[int, list[str]], out: Fields) -> None:
    """Read the Polish (ZBP) subfields that are no title into ``out``.

    Polish banks (mBank, PKO BP, ING Bank Śląski, Pekao, Millennium, Santander) write the
    other party's address in ``?62``/``?63`` (``?60``/``?61`` where used), some its 26-digit
    account in ``?29``; none of it is remittance text. A ``?60`` holding a date alone (PKO BP's
    document date) is no address. ``?27``/``?28`` stay title: real files continue it there.
    """
    out["account"] = out.get("account") or _polish_account(sub)
    pieces = [
        v
        for n in (60, 61, 62, 63)
        for v in sub.get(n, [])
        if n != 60 or not _DATE_ONLY.fullmatch(v)
    ]
    # joined as written: banks cut the address anywhere ("GD" + "ANSK")
    out["address"] = _clean(_gvc_join(pieces))
    # ?32/?33 hold the name and, where room is left, the address ("JAN KOWALSKI UL. ...")
    name, address = split_address(out["name"] or "")
    if address:
        out["name"] = name
        out["address"] = _join_address(address, out["address"])


# the title of the "<" form: <20-<26 (<27 on name the other party)
_ANGLE_PURPOSE = tuple(range(20, 27))


def _angle_party(sub: dict[int, list[str]], out: Fields) -> None:
    """Read the other party of the Polish ``<nn`` form into ``out``.

    Polish banks writing ``<`` subfields (Nest Bank, Pekao) name the other party in ``<27``/
    ``<28`` and its address in ``<29``, the title in ``<20``-``<26``; ``<38`` is its IBAN or
    NRB as elsewhere, ``<63`` the bank's own reference (``REF25/02/07/243872/1``), no address.
    """
    if not out["name"]:
        out["name"] = _clean(_gvc_join(v for n in (27, 28) for v in sub.get(n, [])))
    address = _gvc_join(sub.get(29, []))
    if _polish_account(sub):
        out["account"] = out.get("account") or _polish_account(sub)
    else:
        out["address"] = _clean(address)


def _join_address(first: str, rest: str | None) -> str:
    """The address read from the name, then the address subfields unless they repeat it."""
    if not rest or rest in first:
        return first
    return rest if first in rest else f"{first} {rest}"


def subfield_lines(lines: list[str], mark: str) -> str:
    """Join a ``:86:``'s physical lines, marking (:data:`LINE_END`) each one that ends right
    before the next subfield: a subfield on a line of its own."""
    starts = re.compile(rf"\s*{re.escape(mark)}\d{{2}}")
    return "".join(
        line + LINE_END if i + 1 < len(lines) and starts.match(lines[i + 1]) else line
        for i, line in enumerate(lines)
    )


def _settle_end(value: str, polish: bool) -> str:
    """A subfield value without its line-end mark, with the space it lost given back.

    German banks cut the purpose and the name into subfields of 27 characters wherever the 27th
    falls, often one subfield to a line. A cut that falls on a space leaves 26 characters and
    the space: kept at the line's end, trimmed by the writer, or lost with the padding of a file
    whose lines are filled to a fixed width. A subfield of 26 characters that ends its line
    gets the space back, so the words on both sides stay two; one that goes on on the same line
    (Commerzbank's ``...KUNDENNUM MER 2?2802227779``) is joined as written. Polish banks cut
    their title anywhere and are left as written.
    """
    if not value.endswith(LINE_END):
        return value
    value = value[: -len(LINE_END)]
    if not polish and len(value.rstrip()) == _FULL_SUBFIELD - 1:
        return value.rstrip() + " "
    return value


def _gvc_join(pieces: Iterable[str]) -> str:
    """Join subfield values as written: banks cut a value anywhere, even inside a word."""
    return "".join(pieces)


def _sepa_keywords(pieces: list[str], *, polish: bool = False) -> dict[str, str]:
    """Split the purpose subfields (``EREF+x``, ``SVWZ+y``...) into ``{"EREF": "x", "SVWZ": "y"}``;
    free text before the first keyword is ``""``.

    Subfields are joined as :func:`_unmark` decides, except that an identifier
    (:data:`_IDENTIFIERS`) ends with the first subfield that holds some of it and is not full:
    ``?20EREF+4711?21Miete Mai`` is the reference ``4711`` and the text ``Miete Mai``, while a
    full ``?20EREF+ZV01002842845923000000`` goes on in ``?21`` (``02``). The text after such an
    identifier goes with the remittance text (``SVWZ+`` when it came before, else ``""``). A
    full subfield goes on in the next one also where its 27th character is a space (the cut
    fell between two words of the value): betterplace's ``?20EREF+TFNR 21005 EndToEndId ``
    ``?2100001`` is the reference ``TFNR 21005 EndToEndId 00001``. An identifier's subfields
    are joined as written.
    """
    parts = _SEPA_SPLIT.split(_marked(pieces))
    out: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        out[key] = f"{out[key]} {value}" if key in out else value

    if parts[0].replace(_SUBFIELD_END, "").strip():
        add("", parts[0])
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        rest = ""
        if key in _IDENTIFIERS:
            value, rest = _identifier(value)
        add(key, value)
        if rest.replace(_SUBFIELD_END, "").strip():
            add("SVWZ" if "SVWZ" in out else "", rest)
    return {
        key: _unmark(value, words=key not in _IDENTIFIERS, polish=polish)
        for key, value in out.items()
    }


def _marked(pieces: list[str]) -> str:
    """The subfields joined, each one's end marked by :func:`_mark_end`."""
    return "".join(
        _mark_end(p, pieces[i + 1] if i + 1 < len(pieces) else "") for i, p in enumerate(pieces)
    )


def _join_words(pieces: list[str]) -> str:
    """Join subfields of text, a space where one ended a word (see :func:`_unmark`)."""
    return _unmark(_marked(pieces))


def _mark_end(piece: str, following: str) -> str:
    """A purpose subfield with its end marked for :func:`_unmark`: a subfield that is not full
    with :data:`_SUBFIELD_END`, a full one with :data:`_FULL_END` where a capitalised word
    follows (never inside an upper-case SEPA keyword).

    A subfield filled with spaces up to its width (two or more at its end) is not full: its
    writer ended the value and padded it. One space at the 27th character is where the writer
    cut between two words; the value goes on in the next subfield.
    """
    if len(piece.rstrip()) < _FULL_SUBFIELD - 1 or len(piece) < _FULL_SUBFIELD:
        return piece + _SUBFIELD_END
    if _capitalised(following):
        return piece + _FULL_END
    return piece


def _capitalised(text: str, at: int = 0) -> bool:
    """True when a capitalised word starts at ``at``: a capital, then a small letter
    (Wirecard's ``Erstellungsdatum``, ``Anzahl``)."""
    word = text[at : at + 2]
    return len(word) == 2 and word[0].isupper() and word[1].islower()


# a subfield's end with the characters either side of it
_MARKS = f"{_SUBFIELD_END}{_FULL_END}"
_SUBFIELD_CUT = re.compile(rf"(?P<before>[^{_MARKS}]?)(?P<mark>[{_MARKS}])(?=(?P<after>.?))")


def _unmark(value: str, *, words: bool = True, polish: bool = False) -> str:
    """The text without its subfield-end marks, a space where a subfield's end is a word's.

    German banks cut the purpose into subfields of 27 characters. A full one may end anywhere,
    even inside a word or a number (Sparkasse's ``01.11.`` + ``2026``, BayernLB's
    ``SEPA-20210217210008-40`` + ``133200-P1``): it is joined as written, unless a capitalised
    word follows a digit or a small letter, which in mixed-case text only starts a word
    (Wirecard's ``?21Erstellungsdatum:19.03.2010?22Anzahl Posten``; after a capital it may go
    on an abbreviation: betterplace's ``BC-PPP TF`` + ``Nr 22 004``).

    A subfield the writer ended before its 27th character ended what it held, a word or an
    item (BayernLB's ``?20ANZ. SEPA COR 0000001?21REF. SEPA-...``, Wirecard's
    ``?20Belegloser Zahlungsauftrag?21Erstellungsdatum``, PayPal's ``ABBUCHUNG`` + ``VOM``):
    a space follows it, in capitals and in mixed case alike. Joined as written are only the
    cuts that show a token going on: a digit on both sides (Volksbank's ``IBAN: DE835`` +
    ``00105179...``, Commerzbank's ``KUNDENNUM MER 2`` + ``02227779``), a small letter after a
    letter (``Handels`` + ``gesellschaft``), an IBAN's country code before the rest of it
    (Volksbank's ``IBAN: DE`` + ``42500105...``, its check digits fitting), and a cut next to
    a space or a sign (``DATUM:`` + ``19.03.``). A digit after any other letter starts an item
    of its own: BRD's ``+20Comision`` + ``+2325-Comision MULTIX``, Landesbank Hessen's
    ``RECHNUNGSABSCHLUSS PER`` + ``31.12.2020``.

    :param words: False for an identifier (a reference, an IBAN), always joined as written.
    :param polish: Polish banks cut their title anywhere, also short of the width: only a
        capitalised word after a subfield that is not full is kept apart there.
    """

    def gap(m: re.Match[str]) -> str:
        before, after = m.group("before"), m.group("after")
        if not words or not before.isalnum() or not after.isalnum():
            return before
        if polish:
            short = m.group("mark") == _SUBFIELD_END
            return f"{before} " if short and _capitalised(value, m.end()) else before
        if m.group("mark") == _FULL_END:
            # after a capital, a capitalised piece may go on an abbreviation (TF + Nr: TFNr)
            return before if before.isupper() else f"{before} "
        return before if _goes_on(value, m) else f"{before} "

    return _SUBFIELD_CUT.sub(gap, value)


def _goes_on(value: str, cut: re.Match[str]) -> bool:
    """True when a token goes on across the end of a subfield that is not full (see
    :func:`_unmark`): digits in digits, a letter in small letters, an IBAN's country code in the
    rest of that IBAN."""
    before, after = cut.group("before"), cut.group("after")
    if before.isdigit():
        return after.isdigit()
    if after.isdigit():
        code = re.search(r"(?<![^\W_])[A-Z]{2}$", value[: cut.start("mark")])
        rest = re.match(r"[0-9A-Z]+", re.sub(f"[{_MARKS}]", "", value[cut.end("mark") :]))
        return bool(code and rest and check_digits_fit(code.group() + rest.group()))
    return not after.isupper()


def _identifier(value: str) -> tuple[str, str]:
    """Cut an identifier's value at the end of the first subfield that holds some of it."""
    end = value.find(_SUBFIELD_END)
    while end != -1 and not value[:end].replace(_SUBFIELD_END, "").strip():
        end = value.find(_SUBFIELD_END, end + 1)
    return (value, "") if end == -1 else (value[:end], value[end + 1 :])


def _reference(value: str | None) -> str | None:
    """A SEPA reference, None when empty or a placeholder (``NONREF``, ``NOTPROVIDED``)."""
    text = _clean(value)
    return None if (text or "").upper() in NONREF else text


def _clean(value: str | None, *, spaces: bool = True) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split()) if spaces else "".join(value.split())
    return text or None
