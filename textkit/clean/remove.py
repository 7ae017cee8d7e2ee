"""Remove what is not running text: URLs, e-mails, tags, Markdown layout, credits, furniture."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from textkit.clean._registry import _counted, _sub_lines
from textkit.clean.replace import _replace_markdown_links, _unescape
from textkit.errors import ConfigError, shorten

# ------------------------------------------------------------------- URLs, e-mails, tags
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
