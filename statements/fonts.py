"""Fonts for statements: an embedded CJK TrueType font when installed, else Adobe's STSong-Light."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

#: TrueType CJK fonts we can embed, best first; (path, index inside a .ttc collection).
#: Debian's Noto CJK ships CFF outlines (.ttc/.otf), which reportlab cannot embed, so the
#: TrueType-outlined WenQuanYi, Droid and AR PL fonts come first.
CJK_TRUETYPE_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    (Path("/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf"), 0),
    (Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"), 2),
)
CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class FontChoice:
    """The font a statement is set in."""

    name: str
    #: True: a TrueType subset is embedded; False: the viewer supplies the Adobe CID font
    embedded: bool
    path: Path | None = None


_lock = threading.Lock()
_cache: dict[tuple[bool, tuple[tuple[Path, int], ...]], FontChoice] = {}


def _register_truetype(path: Path, index: int) -> FontChoice | None:
    name = f"Concord-{path.stem}-{index}"
    if name in pdfmetrics.getRegisteredFontNames():
        return FontChoice(name=name, embedded=True, path=path)
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, KeyError, ValueError):
        # a CFF-outlined or damaged font: try the next candidate
        return None
    return FontChoice(name=name, embedded=True, path=path)


def statement_font(
    *,
    force_cid: bool = False,
    candidates: Sequence[tuple[Path, int]] = CJK_TRUETYPE_CANDIDATES,
) -> FontChoice:
    """Return (registering once per process) the font to set statements in.

    :param force_cid: skip installed TrueType fonts and use STSong-Light (tests the fallback).
    :param candidates: TrueType fonts to try, best first.
    """
    key = (force_cid, tuple(candidates))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        choice: FontChoice | None = None
        if not force_cid:
            for path, index in candidates:
                if path.is_file():
                    choice = _register_truetype(path, index)
                    if choice is not None:
                        break
        if choice is None:
            if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
            choice = FontChoice(name=CID_FALLBACK, embedded=False)
        _cache[key] = choice
        return choice
