"""Cleaning: character filters that turn converted documents into plain text.

Every step is a plain module-level function ``str -> str`` that can be used on
its own.  A :class:`Pipeline` strings named steps together, shows what each one
did (:meth:`Pipeline.trace`) and describes itself as JSON for provenance.
:data:`DEFAULT_PIPELINE` was tuned on the seed corpus (texts converted from PDF
and HTML into Markdown); :func:`clean` applies it and :func:`cleaning_report`
counts, per document, what each step removed.

Paragraph breaks survive cleaning: paragraphs stay separated by one blank line,
lines inside a paragraph by one newline.  Cleaning twice gives the same text as
cleaning once.

Speed: each step first checks that its trigger characters occur (``"@"`` for
e-mail addresses, ``"<"`` for tags ...) and otherwise returns the text
untouched; the regular expressions start with a literal so that the regex engine
can skip ahead.  On the seeds repeated to 10 MB, :func:`clean` takes about 1.1-1.2
times as long as one ``re.findall(r"\\w+", text.lower())`` pass.

Examples
--------
>>> clean("## Overview\\n\\nJapan\u2019s **human security** policy <http://www.mofa.go.jp/>")
"Overview\\n\\nJapan's human security policy"
"""

from __future__ import annotations

import functools
import html
import importlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import pandas as pd

from textkit.errors import ConfigError, TextkitError, shorten

__all__ = [
    "DEFAULT_PIPELINE",
    "FURNITURE_LINES",
    "Pipeline",
    "clean",
    "cleaning_report",
    "dehyphenate",
    "normalize_unicode",
    "normalize_whitespace",
    "remove_emails",
    "remove_html_tags",
    "remove_markdown",
    "remove_credits",
    "remove_page_furniture",
    "remove_urls",
    "repair_spacing",
    "replace_markdown_links",
    "unescape",
]

Step = Callable[[str], str]
# Each step has a private twin returning ``(text, number_of_matches)``; the
# public function drops the count, the cleaning report keeps it.
Counted = Callable[..., "tuple[str, int | None]"]
_COUNTED: dict[Callable[..., str], Counted] = {}


def _counted(impl: Counted) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register ``impl`` as the counting twin of the decorated public step."""

    def register(step: Callable[..., str]) -> Callable[..., str]:
        _COUNTED[step] = impl
        return step

    return register


def _sub_lines(pattern: re.Pattern[str], repl: Any, text: str) -> tuple[str, int]:
    r"""``pattern.subn`` for patterns anchored on ``\n`` (faster than ``(?m)^``).

    A newline is put in front of the text so that the first line matches too.
    """
    out, n = pattern.subn(repl, "\n" + text)
    if not n:
        return text, 0
    return (out[1:] if out.startswith("\n") else out), n


# --------------------------------------------------------------------------- unicode
_CHAR_MAP: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2043\u2212\ufe63\uff0d", "-"),
    # an em dash or bar between words is a pause, not a compound: keep words apart
    **dict.fromkeys("\u2014\u2015\u2e3a\u2e3b", " - "),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                    "\u2008\u2009\u200a\u202f\u205f\u3000\x1f", " "),
    **dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028", "\n"),
    "\u2029": "\n\n",
    # zero-width and invisible characters, soft hyphens, other control characters
    **dict.fromkeys("\u200b\u2060\ufeff\u00ad", ""),
    **{chr(c): "" for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), *range(0x7F, 0x85),
                            *range(0x86, 0xA0)]},
}
_SPECIAL = re.compile("[" + "".join(re.escape(c) for c in _CHAR_MAP) + "]")


_ASCII_SPECIAL = "".join(c for c in _CHAR_MAP if c.isascii())


def _map_char(match: re.Match[str]) -> str:
    return _CHAR_MAP[match.group()]


def _normalize_unicode(text: str, *, form: Literal["NFKC", "NFC"] = "NFKC") -> tuple[str, int]:
    if form not in ("NFKC", "NFC"):
        raise ConfigError(f"'form' must be 'NFKC' or 'NFC' (got {shorten(form)})")
    n = 0
    if not text.isascii():
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        # invisible characters go first, so that NFKC sees a letter next to its accent
        text, n = _SPECIAL.subn(_map_char, text)
        if not unicodedata.is_normalized(form, text):
            text = unicodedata.normalize(form, text)
            n += 1
            text, m = _SPECIAL.subn(_map_char, text)  # NFKC can make new dashes
            n += m
    elif any(c in text for c in _ASCII_SPECIAL):  # one memchr per character: cheap
        text, n = _SPECIAL.subn(_map_char, text.replace("\r\n", "\n"))
    return text, n


@_counted(_normalize_unicode)
def normalize_unicode(text: str, *, form: Literal["NFKC", "NFC"] = "NFKC") -> str:
    """Normalise Unicode: compatibility forms, quotes, dashes, spaces and line breaks.

    Applies ``form`` (NFKC folds ligatures, full-width letters, superscripts and
    the ellipsis character to plain ones), turns curly quotes into straight ones,
    hyphens, en dashes and minus signs into ``-`` and em dashes into `` - ``,
    every Unicode space into a space and every line separator (``\\r\\n``,
    ``\\r``, form feed, U+2028) into ``\\n``; drops zero-width spaces, soft
    hyphens, byte-order marks and control characters (tab and newline are kept).
    Pure ASCII text is returned after one fast check.

    Parameters
    ----------
    text : str
        The text.
    form : {"NFKC", "NFC"}
        Unicode normal form; NFC keeps compatibility characters such as ``ﬁ``.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``form`` is not ``"NFKC"`` or ``"NFC"``.

    Examples
    --------
    >>> normalize_unicode("\u201cJapan\u2019s\u201d 2004\u20132006 \ufb01nance\u00a0aid\u200b")
    '"Japan\\'s" 2004-2006 finance aid'
    """
    return _normalize_unicode(text, form=form)[0]


# --------------------------------------------------------------------------- escapes
_MD_ESCAPE = re.compile(r"\\\\*([!-/:-@\[\]-`{-~])")  # backslashes before ASCII punctuation
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _decode_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    return "" if decoded == "\\" else decoded


def _unescape(text: str) -> tuple[str, int]:
    n = 0
    # decoding one kind can reveal the other ("\&amp;", "&#92;*"): repeat until stable
    for _ in range(10):
        m = k = 0
        if "\\" in text:
            text, m = _MD_ESCAPE.subn(r"\1", text)
        if "&" in text:
            text, k = _ENTITY.subn(_decode_entity, text)
            if k:
                text = _normalize_unicode(text)[0]
        n += m + k
        if not (m or k):
            break
    return text, n


@_counted(_unescape)
def unescape(text: str) -> str:
    r"""Undo Markdown backslash escapes and decode HTML character references.

    ``\$354`` becomes ``$354``, ``\*`` becomes ``*``, the doubled escapes of some
    converters (``PKO\\_E``) lose all their backslashes; ``&amp;``, ``&nbsp;``
    and ``&#8217;`` become the characters they name (then normalised like
    :func:`normalize_unicode`).  A backslash not followed by ASCII punctuation is
    kept.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> unescape(r"GDP per capita:US\$354\* and PKO\\_E")
    'GDP per capita:US$354* and PKO_E'
    >>> unescape("Mines &amp; Ammunition &#8220;Stockpile&#8221;")
    'Mines & Ammunition "Stockpile"'
    """
    return _unescape(text)[0]


# ------------------------------------------------------------------- links, URLs, e-mails, tags
_MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")


def _replace_markdown_links(text: str) -> tuple[str, int]:
    n = 0
    while "]" in text and "](" in text:  # nested links ([[a](b)](c)) need a second round
        m = 0
        if "![" in text:
            text, m = _MD_IMAGE.subn(r"\1", text)
        text, k = _MD_LINK.subn(r"\1", text)
        n += m + k
        if not (m or k):
            break
    return text, n


@_counted(_replace_markdown_links)
def replace_markdown_links(text: str) -> str:
    """Replace Markdown links ``[text](url)`` and images ``![alt](src)`` by their text.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> replace_markdown_links("see [the Blue Book](http://www.mofa.go.jp/) now")
    'see the Blue Book now'
    """
    return _replace_markdown_links(text)[0]


_URL_TAIL = r"(?:[^\s<>\"]*[^\s<>\"\'.,;:!?)\]}*])?"
# a URL alone on its line goes with its line, so that no new blank line appears
_URL_LINE = re.compile(r"\n[ \t]*<?(?:https?://|ftp://|www\.)[^\s<>\"]*>?[ \t]*(?=\n|\Z)")
_URL_ANGLE = re.compile(r"<(?:https?://|ftp://|www\.)[^\s<>\"]*>")
_URL_HTTP = re.compile(r"https?://" + _URL_TAIL)
_URL_FTP = re.compile(r"ftp://" + _URL_TAIL)
_URL_WWW = re.compile(r"www\." + _URL_TAIL)
_BACKSLASH_URL = re.compile(r"\\+(?=<?(?:https?://|ftp://|www\.))")


def _remove_urls(text: str, *, replacement: str = "") -> tuple[str, int]:
    if "://" not in text and "www." not in text:
        return text, 0
    if "://" in replacement or "www." in replacement:
        raise ConfigError(f"'replacement' must not look like a URL (got {shorten(replacement)})")
    n = 0
    if "\\" in text:  # an escaped URL's backslash would escape what follows the URL
        text = _BACKSLASH_URL.sub("", text)
    if "\n" in text:
        text, n = _sub_lines(_URL_LINE, "\n" + replacement if replacement else "", text)
    for trigger, pattern in (("<", _URL_ANGLE), ("http", _URL_HTTP), ("ftp:", _URL_FTP),
                             ("www.", _URL_WWW)):
        if trigger in text:
            text, k = pattern.subn(replacement, text)
            n += k
    return _recheck_markup(text, n), n


@_counted(_remove_urls)
def remove_urls(text: str, *, replacement: str = "") -> str:
    """Remove web addresses: bare (``http://…``, ``www.…``) and in angle brackets.

    Sentence punctuation after a URL is kept; a URL alone on its line is removed
    with its line.

    Parameters
    ----------
    text : str
    replacement : str
        What to put in place of each URL (default: nothing).

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``replacement`` itself looks like a URL (cleaning would not be idempotent).

    Examples
    --------
    >>> remove_urls("Programme (<http://www.undpanbp.org>) and www.mofa.go.jp.")
    'Programme () and .'
    >>> remove_urls("see http://www.mod.go.jp/e/", replacement="URL")
    'see URL'
    """
    return _remove_urls(text, replacement=replacement)[0]


_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*"
                           r"\.[A-Za-z]{2,}")
_EMAIL_LOCAL = re.compile(r"(?:mailto:)?[\w.+-]*\w[\w.+-]*\Z")


def _remove_emails(text: str, *, replacement: str = "") -> tuple[str, int]:
    if "@" not in text:
        return text, 0
    if "@" in replacement:
        raise ConfigError(f"'replacement' must not contain '@' (got {shorten(replacement)})")
    # the domain has a literal anchor ("@"); the local part is found looking back
    pieces: list[str] = []
    last = n = 0
    for match in _EMAIL_DOMAIN.finditer(text):
        at = match.start()
        local = _EMAIL_LOCAL.search(text, max(last, at - 64), at)
        if local is not None:
            start = local.start()
        elif at == last and n:  # "a@b.orgx@c.org": the domain ate the next local part
            start = at
        else:
            continue
        while start > last and text[start - 1] == "\\":
            start -= 1
        pieces += [text[last:start], replacement]
        last = match.end()
        n += 1
    if not n:
        return text, 0
    pieces.append(text[last:])
    return _recheck_markup("".join(pieces), n), n


@_counted(_remove_emails)
def remove_emails(text: str, *, replacement: str = "") -> str:
    """Remove e-mail addresses (with an optional ``mailto:``).

    Parameters
    ----------
    text : str
    replacement : str
        What to put in place of each address (default: nothing).

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``replacement`` contains ``@``.

    Examples
    --------
    >>> remove_emails("write to info@mofa.go.jp or mailto:a.b@un.org.")
    'write to  or .'
    """
    return _remove_emails(text, replacement=replacement)[0]


_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<!--.*?-->", re.DOTALL)


def _remove_html_tags(text: str) -> tuple[str, int]:
    n = 0
    while "<" in text:  # removing "<b>" from "<<b>i>" reveals "<i>"
        links = text.count("](")
        text, k = _HTML_TAG.subn("", text)
        n += k
        if not k:
            break
        if text.count("](") > links:  # "[a]<b>(url)" became a link
            text = _replace_markdown_links(text)[0]
    return text, n


def _recheck_markup(text: str, changed: int) -> str:
    """Re-run unescaping, link and tag removal where a later removal joined new markup.

    Removing ``**`` from ``<**b>`` or a URL from ``<ahttp://x>`` leaves a tag;
    checking one character first keeps this free for text without markup.
    """
    for _ in range(10 if changed else 0):
        before = text
        if "\\" in text or "&" in text:
            text = _unescape(text)[0]
        if "<" in text:
            text = _remove_html_tags(text)[0]
        if "]" in text and "](" in text:
            text = _replace_markdown_links(text)[0]
        if text == before:
            break
    return text


@_counted(_remove_html_tags)
def remove_html_tags(text: str) -> str:
    """Remove HTML tags and comments, keeping the text between tags.

    ``181,000km<sup>2</sup>`` becomes ``181,000km2``; ``a < b`` and
    ``<http://…>`` are not tags and stay.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> remove_html_tags('Area:181,000km<sup>2</sup> <a href="x">Phnom Penh</a><!-- c -->')
    'Area:181,000km2 Phnom Penh'
    """
    return _remove_html_tags(text)[0]


# ------------------------------------------------------------------- markdown and print layout
_HEADING = re.compile(r"\n[ \t]*#+(?:[ \t]+#+)*(?=[ \t\n]|\Z)[ \t]*")
_EMPHASIS = re.compile(r"\*\*+")
_RULE = re.compile(r"\n[ \t|+:]*[-=_*]{2,}[-=_*|+: \t]*(?=\n|\Z)")
# starts with a literal so that the regex engine can skip ahead to "..."
_TOC_LEADER = re.compile(r"\.\.\.+[ \t]*(?:[0-9]+|[ivxlc]+)"
                         r"(?:[ \t]*\.\.\.+[ \t]*(?:[0-9]+|[ivxlc]+))*[ \t]*(?=\n|\Z)")


def _cut_with_blanks_before(pattern: re.Pattern[str], text: str) -> tuple[str, int]:
    """Remove the matches of ``pattern`` and the spaces or tabs just before each.

    ``[ \t]*`` at the start of a pattern would make the regex engine try every
    blank in the text; looking back from each match is much cheaper.
    """
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        start = match.start()
        while start > last and text[start - 1] in " \t":
            start -= 1
        pieces.append(text[last:start])
        last = match.end()
    if not pieces:
        return text, 0
    pieces.append(text[last:])
    return "".join(pieces), len(pieces) - 1


def _remove_markdown(text: str) -> tuple[str, int]:
    n = 0
    if "*" in text:
        text, n = _EMPHASIS.subn("", text)
        text = _recheck_markup(text, n)  # "<**b>" and "[a]**(b)" hold markup
    if "." in text:  # before headings: "#.....2" is a heading once its leader goes
        text, k = _cut_with_blanks_before(_TOC_LEADER, text)
        n += k
    if "#" in text:
        text, k = _sub_lines(_HEADING, "\n", text)
        n += k
    # for a multi-character trigger, the regex (with its literal start) is as fast as `in`
    text, k = _sub_lines(_RULE, "", text)
    n += k
    return text, n


@_counted(_remove_markdown)
def remove_markdown(text: str) -> str:
    """Remove Markdown layout: heading markers, bold markers, table rules, TOC leaders.

    Heading lines keep their text (``## Iraq`` becomes ``Iraq``); ``**`` and
    ``***`` vanish; lines made only of dashes, ``=``, ``_``, ``*``, ``|`` and tabs
    (table rules such as ``----------------\\t---``) are dropped; table-of-contents
    leaders with their page number (``Overview .....\\t2``) are cut, keeping the
    entry text.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> remove_markdown("# I Overview\\n\\nOverview .....\\t2\\n---------\\t---\\n**(1) Aid**")
    'I Overview\\n\\nOverview\\n(1) Aid'
    """
    return _remove_markdown(text)[0]


# "(Photo: Ministry of Defense)", "(Courtesy of JICA)", "(see p. 12)", "(pp. 3-4)"
_CREDIT_PAREN = re.compile(r"\((?:(?i:photo(?:graph)?s?|photo credit|image|courtesy)[ \t]*"
                           r"(?::|by\b|of\b)[^()\n]*|(?:see )?pp?\.[ \t]*[0-9]+(?:-[0-9]+)?)\)")
_PHOTO_LINE = re.compile(r"\n[ \t#*]*(?:©|(?i:photo(?:graph)?s?(?: credit)?[ \t]*:|photo by\b))"
                         r"[^\n]*")
_COPYRIGHT = re.compile(r"©[^\n]*")


def _remove_credits(text: str) -> tuple[str, int]:
    n = 0
    for _ in range(10):  # "(see p(Photo: x). 3)": one removal can reveal another
        before = text
        k = 0
        if "(" in text:
            text, k = _CREDIT_PAREN.subn("", text)
        if "hoto" in text or "HOTO" in text:
            text, m = _sub_lines(_PHOTO_LINE, "", text)
            k += m
        if "©" in text:
            text, m = _COPYRIGHT.subn("", text)
            k += m
        n += k
        text = _recheck_markup(text, k)
        if text == before:
            break
    return text, n


@_counted(_remove_credits)
def remove_credits(text: str) -> str:
    """Remove photo credits and page cross-references left by the print layout.

    A parenthesised credit (``(Photo: Ministry of Defense)``, ``Photos:``,
    ``Image:``, ``Courtesy of``) is cut from its caption; a line starting with
    ``©`` or ``Photo:`` is dropped; a ``©`` inside a line is cut with the rest of
    the line; page references (``(see p. 12)``, ``(p. 3)``) are cut.  Caption
    text itself stays: it is often the only description of an event.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> remove_credits("SDF vessels (Photo: Ministry of Defense)\\n©UN Photo 159201\\nEnd")
    'SDF vessels \\nEnd'
    >>> remove_credits("Japan Platform (see p. 15) implemented")
    'Japan Platform  implemented'
    """
    return _remove_credits(text)[0]


#: Lines of web-page and print furniture removed by :func:`remove_page_furniture`.
FURNITURE_LINES: tuple[str, ...] = (
    "No comments:",
    "Back to Index",
    "Back to top",
    "Return to top",
    "Print this page",
    "Post a Comment",
    "Subscribe to: Post Comments (Atom)",
    "Newer Post Older Post Home",
)
@functools.lru_cache(maxsize=16)
def _furniture_pattern(lines: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(line.strip()) for line in lines if line.strip())
    return re.compile(r"\n[ \t#*]*(?i:" + alternatives + r")[ \t#*]*(?=\n|\Z)")


def _remove_page_furniture(text: str, *, lines: Iterable[str] = FURNITURE_LINES
                           ) -> tuple[str, int]:
    lines = tuple(lines)
    if not all(isinstance(line, str) for line in lines):
        raise ConfigError(f"'lines' must be strings (got {shorten(lines)})")
    if not any(line.strip() for line in lines):
        return text, 0
    return _sub_lines(_furniture_pattern(lines), "", text)


@_counted(_remove_page_furniture)
def remove_page_furniture(text: str, *, lines: Iterable[str] = FURNITURE_LINES) -> str:
    """Remove lines of navigation furniture: ``No comments:``, ``Back to Index``.

    A line is dropped when, apart from spaces and Markdown ``#``/``*``, it is one
    of ``lines`` (case-insensitive).

    Parameters
    ----------
    text : str
    lines : iterable of str
        The furniture lines; default :data:`FURNITURE_LINES`.  Use
        ``functools.partial(remove_page_furniture, lines=...)`` in a pipeline.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``lines`` holds something other than strings.

    Examples
    --------
    >>> remove_page_furniture("Two copies done at Tokyo.\\nBack to Index")
    'Two copies done at Tokyo.'
    """
    return _remove_page_furniture(text, lines=lines)[0]


# --------------------------------------------------------------------------- word repairs
_SUSPENDED = frozenset({"and", "or", "to", "nor", "but", "through", "versus", "vs"})
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\n[ \t]*(?=[^\W\d_])")
_NEXT_WORD = re.compile(r"\w+")
_COMPOUND = re.compile(r"\w+(?:-\w+)+")


def _word_before(text: str, end: int) -> str:
    """The letters (with their combining accents) that end at ``end``, or ``""``."""
    start = end
    while start > 0 and (text[start - 1].isalpha()
                         or unicodedata.category(text[start - 1]).startswith("M")):
        start -= 1
    word = text[start:end]
    return word if any(c.isalpha() for c in word) else ""


def _dehyphenate(text: str) -> tuple[str, int]:
    if "-" not in text or "\n" not in text:
        return text, 0
    vocabulary: set[str] | None = None
    n = 0

    def join(match: re.Match[str]) -> str:
        nonlocal vocabulary, n
        before = _word_before(text, match.start())
        after = _NEXT_WORD.match(text, match.end())
        if not before or after is None:
            return match.group()
        word = after.group()
        n += 1
        if word.lower() in _SUSPENDED:  # "medium-\nto long-term"
            return "- "
        if vocabulary is None:
            vocabulary = {w.lower() for w in _COMPOUND.findall(text)}
        hyphenated = f"{before}-{word}".lower()
        if hyphenated in vocabulary or word[:1].isupper():  # "self-\ndefense", "Asia-\nPacific"
            return "-"
        return ""

    return _LINE_BREAK_HYPHEN.sub(join, text), n


@_counted(_dehyphenate)
def dehyphenate(text: str) -> str:
    """Join words hyphenated across a line break: ``recon-\\nstruction`` → ``reconstruction``.

    The hyphen is kept (and only the line break removed) when the hyphenated
    form occurs elsewhere in the text (``self-\\ndefense`` when ``self-defense``
    is used) or when the second part is capitalised (``Asia-\\nPacific``).  A
    suspended hyphen (``medium-\\nto long-term``) keeps its hyphen and gets a
    space.  Hyphens not at a line break (``Timor-Leste``) are never touched.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> dehyphenate("recon-\\nstruction in Asia-\\nPacific and Timor-Leste")
    'reconstruction in Asia-Pacific and Timor-Leste'
    """
    return _dehyphenate(text)[0]


_SPACED_HYPHEN = re.compile(r"- (?=[^\W\d_])")
_SPACED_APOSTROPHE = re.compile(r"' s\b")


def _repair_spacing(text: str) -> tuple[str, int]:
    n = 0

    def close_hyphen(match: re.Match[str]) -> str:
        nonlocal n
        after = _NEXT_WORD.match(text, match.end())
        if not _word_before(text, match.start()) or after is None:
            return match.group()
        if after.group().lower() in _SUSPENDED:  # "mid- and long-term"
            return match.group()
        n += 1
        return "-"

    def close_apostrophe(match: re.Match[str]) -> str:
        nonlocal n
        if not _word_before(out, match.start()):
            return match.group()
        n += 1
        return "'s"

    out = _SPACED_HYPHEN.sub(close_hyphen, text) if "- " in text else text
    if "' s" in out:
        out = _SPACED_APOSTROPHE.sub(close_apostrophe, out)
    return out, n


@_counted(_repair_spacing)
def repair_spacing(text: str) -> str:
    """Close spaces that PDF conversion left inside words: ``counter- narcotic``, ``Japan' s``.

    ``word- word`` becomes ``word-word`` unless the hyphen is suspended
    (``mid- and long-term``, ``small- or medium-sized``); ``Japan' s`` becomes
    ``Japan's``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> repair_spacing("counter- narcotic measures, mid- and long-term, Japan' s ODA")
    "counter-narcotic measures, mid- and long-term, Japan's ODA"
    """
    return _repair_spacing(text)[0]


_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_SPACE = re.compile("[\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029"
                          "\u202f\u205f\u3000]")
_SPACE_MAP = {c: "\n" if c in _LINE_BREAKS else " " for c in
              "\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"}


_BLANK_LINES = re.compile(r"\n\n\n+")


def _map_space(match: re.Match[str]) -> str:
    return _SPACE_MAP[match.group()]


def _normalize_whitespace(text: str) -> tuple[str, int | None]:
    if "\t" in text:
        text = text.replace("\t", " ")
    if not text.isascii() or any(c in text for c in "\r\x0b\x0c\x1c\x1d\x1e\x1f"):
        text = _OTHER_SPACE.sub(_map_space, text.replace("\r\n", "\n"))
    while "  " in text:
        text = text.replace("  ", " ")
    if " \n" in text or "\n " in text:
        text = "\n".join([line.strip(" ") for line in text.split("\n")])
    text = _BLANK_LINES.sub("\n\n", text)  # one pass, literal start: cheaper than a loop
    return text.strip(" \n"), None  # runs of blanks are not worth counting


@_counted(_normalize_whitespace)
def normalize_whitespace(text: str) -> str:
    """Tidy whitespace, keeping paragraph breaks.

    Tabs and Unicode spaces become spaces, runs of spaces one space; lines lose
    leading and trailing spaces; two or more blank lines (or lines of blanks)
    become one blank line, the paragraph separator; the text loses leading and
    trailing whitespace.  Single newlines inside a paragraph are kept.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_whitespace("  Area:\\t652,000km2  \\n Capital: Kabul \\n \\n\\n\\nNext  line\\n")
    'Area: 652,000km2\\nCapital: Kabul\\n\\nNext line'
    """
    return _normalize_whitespace(text)[0]


# --------------------------------------------------------------------------- pipelines
def _step_name(step: Callable[..., str]) -> str:
    func = step.func if isinstance(step, functools.partial) else step
    return str(getattr(func, "__name__", type(func).__name__))


def _check_picklable(name: str, step: Any) -> None:
    func = step
    while isinstance(func, functools.partial):
        func = func.func
    if not callable(func):
        raise ConfigError(f"step {name!r} must be callable (got {shorten(step)})")
    qualname = str(getattr(func, "__qualname__", ""))
    if qualname == "<lambda>" or "<locals>" in qualname:
        raise ConfigError(
            f"step {name!r} must be a module-level function or functools.partial, not "
            f"{qualname!r}: lambdas and local functions do not pickle. Define it with `def` "
            "at module level."
        )


def _describe(step: Callable[..., str]) -> dict[str, Any]:
    func: Any = step
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {}
    if isinstance(step, functools.partial):
        func, args, kwargs = step.func, step.args, dict(step.keywords)
    description: dict[str, Any] = {
        "function": f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', '?')}"
    }
    if args:
        description["args"] = list(args)
    if kwargs:
        description["kwargs"] = kwargs
    return description


def _run(step: Callable[..., str], text: str) -> tuple[str, int | None]:
    """Apply ``step`` and count its matches when it is one of this module's steps."""
    if isinstance(step, functools.partial) and step.func in _COUNTED and not step.args:
        return _COUNTED[step.func](text, **step.keywords)
    if step in _COUNTED:
        return _COUNTED[step](text)
    return step(text), None


class Pipeline:
    """An ordered, immutable tuple of named cleaning steps.

    Parameters
    ----------
    steps : iterable of callables or of ``(name, callable)`` pairs
        Each step maps ``str -> str``.  Steps must pickle (module-level functions
        or :class:`functools.partial` of them, no lambdas) so that a pipeline can
        go to worker processes.  A bare callable is named after its function.

    Raises
    ------
    ConfigError
        If a step is not callable, is a lambda or local function, or if two steps
        share a name.

    Examples
    --------
    >>> pipe = Pipeline([remove_html_tags, ("spaces", normalize_whitespace)])
    >>> pipe.names
    ('remove_html_tags', 'spaces')
    >>> pipe("Area:  14,000km<sup>2</sup> ")
    'Area: 14,000km2'
    >>> pipe.remove("spaces").names
    ('remove_html_tags',)
    """

    __slots__ = ("_steps",)
    _steps: tuple[tuple[str, Step], ...]

    def __init__(self, steps: Iterable[Step | tuple[str, Step]]) -> None:
        if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
            raise ConfigError(f"'steps' must be an iterable of steps (got {shorten(steps)})")
        pairs: list[tuple[str, Step]] = []
        for item in steps:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                name, step = item
            else:
                name, step = _step_name(item), item
            if not name:
                raise ConfigError("step names must be non-empty strings (got '')")
            _check_picklable(name, step)
            pairs.append((name, step))
        names = [name for name, _ in pairs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ConfigError(
                f"step names must be unique (got {shorten(duplicates)} twice); name steps "
                "explicitly with (name, step) pairs"
            )
        object.__setattr__(self, "_steps", tuple(pairs))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Pipeline is immutable: use add(), remove() or replace()")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Pipeline, (self._steps,))

    def __eq__(self, other: object) -> bool:
        """Pipelines are equal when their steps have the same names, functions and options."""
        if not isinstance(other, Pipeline):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.to_json())

    @property
    def steps(self) -> tuple[tuple[str, Step], ...]:
        """The ``(name, step)`` pairs, in order."""
        return self._steps

    @property
    def names(self) -> tuple[str, ...]:
        """The step names, in order."""
        return tuple(name for name, _ in self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[tuple[str, Step]]:
        return iter(self.steps)

    def __getitem__(self, name: str) -> Step:
        for step_name, step in self.steps:
            if step_name == name:
                return step
        raise KeyError(self._unknown(name))

    def __repr__(self) -> str:
        return f"Pipeline({' -> '.join(self.names) or 'no steps'})"

    def __call__(self, text: str) -> str:
        """Apply every step in order."""
        if not isinstance(text, str):
            raise TextkitError(f"cleaning needs a str (got {type(text).__name__}: {shorten(text)})")
        for _, step in self.steps:
            text = step(text)
        return text

    def _unknown(self, name: str) -> str:
        return f"no step named {name!r} in this pipeline; steps are {', '.join(self.names)}"

    def _index(self, name: str) -> int:
        if name not in self.names:
            raise ConfigError(self._unknown(name))
        return self.names.index(name)

    def add(self, step: Callable[..., str], *, name: str | None = None,
            before: str | None = None, after: str | None = None) -> Pipeline:
        """Return a new pipeline with ``step`` added (at the end, or before/after a named step).

        Raises
        ------
        ConfigError
            If both ``before`` and ``after`` are given, or either names no step.

        Examples
        --------
        >>> Pipeline([normalize_whitespace]).add(remove_urls, before="normalize_whitespace").names
        ('remove_urls', 'normalize_whitespace')
        """
        if before is not None and after is not None:
            raise ConfigError("give either 'before' or 'after', not both")
        position = len(self.steps)
        if before is not None:
            position = self._index(before)
        elif after is not None:
            position = self._index(after) + 1
        entry = (name or _step_name(step), step)
        return Pipeline((*self.steps[:position], entry, *self.steps[position:]))

    def remove(self, *names: str) -> Pipeline:
        """Return a new pipeline without the named steps.

        Raises
        ------
        ConfigError
            If a name is not a step of this pipeline.

        Examples
        --------
        >>> DEFAULT_PIPELINE.remove("remove_urls", "remove_emails").names[:4]
        ('normalize_unicode', 'unescape', 'replace_markdown_links', 'remove_html_tags')
        """
        for name in names:
            self._index(name)
        return Pipeline(tuple(pair for pair in self.steps if pair[0] not in names))

    def replace(self, name: str, step: Callable[..., str]) -> Pipeline:
        """Return a new pipeline whose step ``name`` is ``step`` (same name and place).

        Raises
        ------
        ConfigError
            If ``name`` is not a step of this pipeline.

        Examples
        --------
        >>> pipe = DEFAULT_PIPELINE.replace(
        ...     "remove_urls", functools.partial(remove_urls, replacement="URL"))
        >>> pipe("see http://www.mofa.go.jp/ now")
        'see URL now'
        """
        position = self._index(name)
        steps = list(self.steps)
        steps[position] = (name, step)
        return Pipeline(tuple(steps))

    def trace(self, text: str) -> pd.DataFrame:
        """Show what every step did to ``text``.

        Returns
        -------
        pandas.DataFrame
            One row per step (index ``step``; the first row, ``input``, is the
            text before cleaning) with columns ``text`` (the step's output),
            ``chars`` (its length), ``chars_removed`` (length before minus after;
            negative when a step adds characters) and ``matches`` (how many
            pieces the step changed; ``<NA>`` where it does not count them).

        Examples
        --------
        >>> trace = DEFAULT_PIPELINE.trace("## Iraq\\n\\nSee <http://www.mofa.go.jp/>")
        >>> trace.loc[["input", "remove_urls", "remove_markdown"], ["chars_removed", "matches"]]
                         chars_removed  matches
        step
        input                        0     <NA>
        remove_urls                 24        1
        remove_markdown              3        1
        >>> trace["text"].iloc[-1]
        'Iraq\\n\\nSee'
        """
        rows: list[tuple[str, str, int, int | None]] = [("input", text, 0, None)]
        if not isinstance(text, str):
            raise TextkitError(f"cleaning needs a str (got {type(text).__name__}: {shorten(text)})")
        for name, step in self.steps:
            out, matches = _run(step, text)
            rows.append((name, out, len(text) - len(out), matches))
            text = out
        frame = pd.DataFrame(rows, columns=["step", "text", "chars_removed", "matches"])
        frame.insert(2, "chars", frame["text"].str.len().astype("int64"))
        frame["matches"] = frame["matches"].astype("Int64")
        return frame.set_index("step")

    def to_dict(self) -> dict[str, Any]:
        """Describe the pipeline as plain data (see :meth:`to_json`)."""
        return {"steps": [{"name": name, **_describe(step)} for name, step in self.steps]}

    def to_json(self, *, indent: int | None = None) -> str:
        """Describe the pipeline as JSON for provenance: each step's name, function and options.

        Examples
        --------
        >>> print(Pipeline([functools.partial(remove_urls, replacement="URL")]).to_json(indent=1))
        {
         "steps": [
          {
           "function": "textkit.clean.remove_urls",
           "kwargs": {
            "replacement": "URL"
           },
           "name": "remove_urls"
          }
         ]
        }
        """
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, default=repr)

    @classmethod
    def from_json(cls, document: str) -> Pipeline:
        """Rebuild a pipeline from :meth:`to_json` output (functions are imported by name).

        Raises
        ------
        ConfigError
            If the JSON does not describe a pipeline or a function cannot be imported.

        Examples
        --------
        >>> Pipeline.from_json(DEFAULT_PIPELINE.to_json()) == DEFAULT_PIPELINE
        True
        """
        try:
            specs = json.loads(document)["steps"]
            steps = []
            for spec in specs:
                module, _, qualname = spec["function"].rpartition(".")
                func = getattr(importlib.import_module(module), qualname)
                kwargs = {key: tuple(value) if isinstance(value, list) else value
                          for key, value in spec.get("kwargs", {}).items()}
                args = spec.get("args", [])
                step = functools.partial(func, *args, **kwargs) if args or kwargs else func
                steps.append((spec["name"], step))
        except (ValueError, KeyError, TypeError, AttributeError, ImportError) as error:
            message = f"not a pipeline description ({error}): {shorten(document)}"
            raise ConfigError(message) from None
        return cls(tuple(steps))


#: The default cleaning pipeline, tuned on the seed corpus.  Order matters:
#: escapes are undone before links and URLs are recognised, tags go before
#: Markdown layout, credits and furniture before Markdown (they may carry ``#``
#: or ``**``), de-hyphenation and whitespace last, then Unicode once more to
#: recompose letters and accents that removed markup had separated.
DEFAULT_PIPELINE = Pipeline((
    normalize_unicode,
    unescape,
    replace_markdown_links,
    remove_html_tags,
    remove_urls,
    remove_emails,
    remove_credits,
    remove_page_furniture,
    remove_markdown,
    dehyphenate,
    normalize_whitespace,
    repair_spacing,
    ("recompose_unicode", normalize_unicode),
))


def clean(text: str, *, pipeline: Pipeline = DEFAULT_PIPELINE) -> str:
    """Clean one text with ``pipeline`` (default :data:`DEFAULT_PIPELINE`).

    Parameters
    ----------
    text : str
        A raw document.
    pipeline : Pipeline
        The steps to apply.

    Returns
    -------
    str
        Plain text: paragraphs separated by one blank line.

    Raises
    ------
    TextkitError
        If ``text`` is not a str.

    Examples
    --------
    >>> clean("**(3) Emphasis on \u201chuman security\u201d (see p. 12)**\\n\\n\\nNo comments:")
    '(3) Emphasis on "human security"'
    """
    if not isinstance(pipeline, Pipeline):
        raise ConfigError(f"'pipeline' must be a Pipeline (got {shorten(pipeline)})")
    return pipeline(text)


def _texts(texts: Any) -> pd.Series:
    """Accept a mapping, a Series, a frame or a corpus (``.docs``) and return a Series of texts."""
    frame = getattr(texts, "docs", texts)
    if isinstance(frame, pd.DataFrame):
        missing = {"doc_id", "text"} - set(frame.columns)
        if missing:
            raise TextkitError(
                f"the documents table lacks column(s) {sorted(missing)}; "
                "it needs 'doc_id' and 'text'"
            )
        index = pd.Index(list(frame["doc_id"]), name="doc_id")
        series = pd.Series(list(frame["text"]), index=index, dtype=object)
    elif isinstance(texts, pd.Series):
        series = texts.copy()
    elif isinstance(texts, Mapping):
        series = pd.Series(list(texts.values()), index=list(texts.keys()), dtype=object)
    else:
        raise TextkitError(
            f"cleaning_report() needs a mapping doc_id -> text, a pandas Series or a corpus "
            f"(got {type(texts).__name__})"
        )
    for doc_id, text in series.items():
        if not isinstance(text, str):
            raise TextkitError(f"document {doc_id!r}: text must be a str (got {shorten(text)})")
    series.index.name = "doc_id"
    return series


def cleaning_report(texts: Any, *, pipeline: Pipeline = DEFAULT_PIPELINE) -> pd.DataFrame:
    """Count, per document, what each cleaning step removed.

    Parameters
    ----------
    texts : mapping, pandas.Series or corpus
        ``doc_id -> text`` as a mapping or a Series indexed by doc id, or any
        object with a ``docs`` DataFrame holding ``doc_id`` and ``text`` columns
        (a :class:`textkit.Corpus`).
    pipeline : Pipeline
        The pipeline to audit.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``doc_id``; columns are a MultiIndex ``(step, measure)`` with
        measures ``chars_removed`` and ``matches`` (``<NA>`` for steps that do not
        count), then ``("total", "chars_before")``, ``("total", "chars_after")``
        and ``("total", "chars_removed")``.

    Raises
    ------
    TextkitError
        If ``texts`` is of another kind or a text is not a str.

    Examples
    --------
    >>> report = cleaning_report({"a": "Area:14,000km<sup>2</sup>", "b": "No comments:"})
    >>> report["remove_html_tags"]
           chars_removed  matches
    doc_id
    a                 11        2
    b                  0        0
    >>> report["total"]
            chars_before  chars_after  chars_removed
    doc_id
    a                 25           14             11
    b                 12            0             12
    """
    if not isinstance(pipeline, Pipeline):
        raise ConfigError(f"'pipeline' must be a Pipeline (got {shorten(pipeline)})")
    series = _texts(texts)
    rows = []
    for text in series:
        row: list[int | None] = []
        for _, step in pipeline:
            out, matches = _run(step, text)
            row += [len(text) - len(out), matches]
            text = out
        rows.append(row)
    columns = pd.MultiIndex.from_product([pipeline.names, ["chars_removed", "matches"]])
    report = pd.DataFrame(rows, index=series.index, columns=columns)
    for name in pipeline.names:
        report[(name, "chars_removed")] = report[(name, "chars_removed")].astype("int64")
        report[(name, "matches")] = report[(name, "matches")].astype("Int64")
    before = series.str.len().astype("int64")
    report[("total", "chars_before")] = before
    report[("total", "chars_removed")] = report.xs("chars_removed", axis=1, level=1).sum(axis=1)
    report[("total", "chars_after")] = before - report[("total", "chars_removed")]
    order = [*columns, ("total", "chars_before"), ("total", "chars_after"),
             ("total", "chars_removed")]
    return report[order]
