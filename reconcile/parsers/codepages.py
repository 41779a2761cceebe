"""Which single-byte code page a bank file that is no UTF-8 was written in, guessed from its bytes.

European banks and their software write the code page of their country and era: Windows-1252
(Western Europe), Windows-1250 and ISO 8859-2 (Central Europe: Polish, Czech, Slovak, Hungarian,
Slovenian and Croatian banks), DOS code pages 850 (German and Swiss banking software) and 852
(Central European DOS, Raiffeisen Hungary's MT940), and Windows-1251 (Russian-language banks).
Most bytes decode in all of them, into other letters: CP1250's ``ą`` (0xB9) is ISO 8859-2's
``š`` and Windows-1252's ``¹``. A bank file is short (one statement may have only a few
accented letters), so the guess does not rely on the statistics of long texts (charset
detectors guess wrong on a dozen letters) but scores each reading by two facts about real text:

- its accented letters belong to one language's alphabet (a Polish file has ``ą ę ł ś ż``, not a
  mix of Polish and Czech letters, and never a box-drawing or control character), and
- an accented letter stands inside a word, next to ASCII letters of the same case, and a
  Cyrillic letter next to Cyrillic letters (never inside a Latin word: Windows-1251 reads
  ``Müller`` as ``Mьller``).

Readings that tie (German umlauts are the same bytes in CP1252 and ISO 8859-2, in CP850 and
CP852) go to the earlier code page in :data:`SINGLE_BYTE`.
"""

from __future__ import annotations

import unicodedata

#: the code pages tried, in the order that wins a tie
SINGLE_BYTE = ("cp1252", "iso8859_2", "cp1250", "cp852", "cp850", "cp1251", "latin-1")

# the accented letters of each language (lower case)
_ALPHABETS = {
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "hu": "áéíóöőúüű",
    "sl_hr": "čćđšž",
    "ro": "ăâîșşțţ",
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "nl": "áéèëïóöü",
    "es_pt": "áâãàçéêíñóôõúü",
    "it": "àèéìíîòóùú",
    "nordic": "åäæéöøü",
    # Russian, Ukrainian and Belarusian: Windows-1251 gives every byte from 0xC0 a Cyrillic letter
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
}
# a letter of the text's language counts this much more than a letter that only looks like one
_ALPHABET_WEIGHT = 3


def decode_single_byte(data: bytes, *, ignore: bytes = b"") -> tuple[str, str]:
    """Return the text of ``data`` and the code page (of :data:`SINGLE_BYTE`) that reads best.

    :param ignore: bytes that are fillers in this kind of file, not letters (PKO BP fills empty
        MT940 subfields with 0xFF): they do not vote for a code page.
    """
    sample = data.translate(None, ignore) if ignore else data
    best: tuple[int, str, str] | None = None
    for encoding in SINGLE_BYTE:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(sample.decode(encoding, errors="replace"))
        if best is None or score > best[0]:
            best = (score, encoding, text)
    assert best is not None  # latin-1 decodes every byte
    return best[2], best[1]


def reads_as_single_byte(data: bytes) -> bool:
    """True when the non-ASCII bytes of ``data`` stand inside Latin words, as accented letters do.

    GB18030, Big5 and Shift_JIS decode most byte pairs, so a Polish ``Opłata`` (``Op\\xb3ata``)
    reads as Chinese too. But a double-byte character is a pair of bytes that mostly stands apart
    from Latin letters (between delimiters, digits or other such pairs), while an accented letter
    is one byte with a Latin letter beside it: when most non-ASCII bytes touch an ASCII letter,
    the file is single-byte text.
    """
    sample = data[:65536]
    high = touching = 0
    for i, byte in enumerate(sample):
        if byte < 0x80:
            continue
        high += 1
        before = sample[i - 1 : i]
        after = sample[i + 1 : i + 2]
        touching += before.isalpha() or after.isalpha()
    return high > 0 and touching * 2 > high


def plausibility(text: str) -> int:
    """Score how much the non-ASCII characters of ``text`` look like the letters of a language.

    A letter inside a word scores 1 when an ASCII letter of the same case stands beside it, and
    :data:`_ALPHABET_WEIGHT` more when it belongs to the one alphabet (:data:`_ALPHABETS`) that
    holds most of them (a Cyrillic letter: beside another, and never beside an ASCII letter);
    a currency sign beside a digit or a space (``£4.20``) scores 1. A letter
    standing alone (ISO 8859-2's ``Ł`` for Latin-1's ``£`` in ``Ł4.20``), a symbol, box-drawing or
    control character costs 1.
    """
    score = 0
    letters: list[str] = []
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        neighbours = [text[j] for j in (i - 1, i + 1) if 0 <= j < len(text)]
        if not ch.isalpha():
            money = unicodedata.category(ch) == "Sc"
            score += 1 if money and any(n.isdigit() or n == " " for n in neighbours) else -1
        elif not any(n.isalpha() for n in neighbours):
            score -= 1
        elif _cyrillic(ch):
            # a word is written in one script: Cyrillic inside a Latin word is a misreading
            if any(n.isascii() and n.isalpha() for n in neighbours):
                score -= 1
            else:
                letters.append(ch.lower())
                score += any(_cyrillic(n) for n in neighbours)
        else:
            letters.append(ch.lower())
            score += any(
                n.isascii() and n.isalpha() and n.islower() == ch.islower() for n in neighbours
            )
    if letters:
        score += _ALPHABET_WEIGHT * max(
            sum(1 for ch in letters if ch in alphabet) for alphabet in _ALPHABETS.values()
        )
    return score


def _cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"
