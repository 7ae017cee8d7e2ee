"""A self-contained HTML topic explorer that works with no network at all.

:func:`topic_explorer_html` renders one HTML page from the labelled tables of
:mod:`textkit.topics`: a list of topics (top terms, stability, share of the
corpus) and, for the selected topic, its terms as weighted bars and its most
representative passages.  Every style and script is inline; a
``Content-Security-Policy`` forbids the page to load anything, so it opens the
same from a laptop, an e-mail attachment or a journal's supplementary files.
All content is written into the page as HTML; the small script only switches
between topics (click, arrow keys, or the ``#topic-3`` address fragment), so
the page still reads, topic after topic, with scripts disabled.

The output is byte-deterministic: the same tables give the same bytes.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from textkit.errors import ConfigError, shorten

__all__ = ["topic_explorer_html", "write_topic_explorer"]

_CSS = """
:root { --ink: #1a1a1a; --muted: #5f5f5f; --line: #d9d9d9; --bar: #0072B2;
        --warn: #D55E00; --sel: #eef5fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; }
header { padding: 14px 22px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: var(--muted); font-size: 13px; }
.layout { display: flex; align-items: flex-start; }
nav { width: 300px; flex: none; border-right: 1px solid var(--line); max-height: calc(100vh - 70px);
      overflow-y: auto; position: sticky; top: 0; }
nav button { display: block; width: 100%; text-align: left; padding: 9px 14px; border: 0;
             border-bottom: 1px solid var(--line); background: none; font: inherit;
             cursor: pointer; }
nav button:hover, nav button:focus-visible { background: #f4f4f4; outline: none; }
nav button[aria-selected="true"] { background: var(--sel); box-shadow: inset 4px 0 0 var(--bar); }
nav .name { font-weight: 600; }
nav .top { display: block; color: var(--muted); font-size: 13px; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px;
         border: 1px solid var(--muted); color: var(--muted); margin-left: 6px; }
.badge.unstable { border-color: var(--warn); color: var(--warn); }
main { flex: 1; padding: 8px 26px 40px; min-width: 0; }
section.topic { padding-bottom: 24px; border-bottom: 1px solid var(--line); }
section.topic h2 { font-size: 18px; margin: 14px 0 4px; }
.facts { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
table.terms { border-collapse: collapse; width: 100%; max-width: 640px; }
table.terms td { padding: 2px 6px; font-size: 14px; }
table.terms td.label { width: 34%; text-align: right; white-space: nowrap; }
table.terms td.weight { width: 12%; color: var(--muted); font-variant-numeric: tabular-nums; }
.bar { height: 13px; background: var(--bar); border-radius: 2px; }
.unstable .bar { background: repeating-linear-gradient(45deg, var(--bar) 0 4px, #9cc3e0 4px 8px); }
h3 { font-size: 15px; margin: 18px 0 6px; }
ol.passages { padding-left: 20px; }
ol.passages li { margin-bottom: 10px; }
.source { color: var(--muted); font-size: 13px; }
blockquote { margin: 3px 0 0; padding-left: 10px; border-left: 3px solid var(--line); }
footer { color: var(--muted); font-size: 12px; padding: 10px 22px; }
"""

_JS = """
(function () {
  "use strict";
  var buttons = Array.prototype.slice.call(document.querySelectorAll("nav button[data-topic]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.topic"));
  function select(topic, focus) {
    var found = false;
    sections.forEach(function (s) {
      var on = s.getAttribute("data-topic") === topic;
      s.hidden = !on;
      found = found || on;
    });
    if (!found) { return false; }
    buttons.forEach(function (b) {
      var on = b.getAttribute("data-topic") === topic;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      if (on && focus) { b.focus(); }
    });
    document.body.setAttribute("data-selected", topic);
    return true;
  }
  buttons.forEach(function (b, i) {
    b.addEventListener("click", function () {
      var topic = b.getAttribute("data-topic");
      select(topic, false);
      if (history.replaceState) { history.replaceState(null, "", "#topic-" + topic); }
    });
    b.addEventListener("keydown", function (e) {
      var next = null;
      if (e.key === "ArrowDown") { next = buttons[Math.min(i + 1, buttons.length - 1)]; }
      if (e.key === "ArrowUp") { next = buttons[Math.max(i - 1, 0)]; }
      if (next) { e.preventDefault(); next.click(); next.focus(); }
    });
  });
  var fromHash = /^#topic-(\\d+)$/.exec(window.location.hash);
  if (!(fromHash && select(fromHash[1], false)) && buttons.length) {
    select(buttons[0].getAttribute("data-topic"), false);
  }
  document.documentElement.className = "js";
})();
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: object, digits: int = 3) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "NaN" if math.isnan(number) else f"{number:.{digits}f}"


def _check_table(data: object, columns: Sequence[str], what: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"{what!r} must be a pandas DataFrame (got {type(data).__name__})")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ConfigError(
            f"{what!r} lacks column(s) {missing}; it has {shorten(list(data.columns))}"
        )
    return data


def topic_explorer_html(
    terms: pd.DataFrame,
    *,
    stability: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
    prevalence: pd.Series | None = None,
    title: str = "Topic explorer",
    subtitle: str = "",
) -> str:
    """Render the topic explorer as one HTML string (no external resources).

    Parameters
    ----------
    terms : pandas.DataFrame
        ``textkit.topics.top_terms`` output: ``topic``, ``rank``, ``label``, ``weight``.
    stability : pandas.DataFrame, optional
        ``textkit.topics.topic_stability`` output (index ``topic``; ``stability``, ``stable``).
    passages : pandas.DataFrame, optional
        ``textkit.topics.representative_passages`` output: ``topic``, ``rank``,
        ``document``, ``passage``, ``share``, ``text``.
    prevalence : pandas.Series, optional
        topic -> mean share over the corpus.
    title, subtitle : str
        Page heading and a line under it (e.g. the corpus and the model settings).

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If a table lacks a column or ``terms`` is empty.

    Examples
    --------
    >>> terms = pd.DataFrame({"topic": [1, 1, 2], "rank": [1, 2, 1],
    ...                       "label": ["peace", "security", "trade <&>"],
    ...                       "weight": [0.3, 0.2, 0.25]})
    >>> page = topic_explorer_html(terms, title="Seeds")
    >>> page.startswith("<!DOCTYPE html>"), "trade &lt;&amp;&gt;" in page, "://" in page
    (True, True, False)
    """
    terms = _check_table(terms, ["topic", "rank", "label", "weight"], "terms")
    if len(terms) == 0:
        raise ConfigError("'terms' has no rows: there is no topic to show")
    if stability is not None:
        _check_table(stability, ["stability", "stable"], "stability")
    if passages is not None:
        _check_table(
            passages, ["topic", "rank", "document", "passage", "share", "text"], "passages"
        )
    topics = sorted({int(t) for t in terms["topic"]})
    nav, sections = [], []
    for topic in topics:
        rows = terms[terms["topic"] == topic].sort_values("rank", kind="stable")
        score = stable = None
        if stability is not None and topic in stability.index:
            score = float(stability.loc[topic, "stability"])
            stable = bool(stability.loc[topic, "stable"])
        badge = ""
        facts = []
        if score is not None:
            kind = "stable" if stable else "unstable"
            badge = f'<span class="badge {kind}">{kind} {_fmt(score, 2)}</span>'
            facts.append(f"stability across seeds {_fmt(score, 2)} ({kind})")
        if prevalence is not None and topic in prevalence.index:
            facts.append(f"mean share of passages {_fmt(prevalence[topic], 3)}")
        top3 = ", ".join(_esc(x) for x in rows["label"].head(3))
        nav.append(
            f'<button type="button" role="tab" data-topic="{topic}" id="tab-{topic}" '
            f'aria-controls="topic-{topic}" aria-selected="false">'
            f'<span class="name">Topic {topic}</span>{badge}'
            f'<span class="top">{top3}</span></button>'
        )
        max_weight = float(rows["weight"].max()) or 1.0
        term_rows = []
        for _, row in rows.iterrows():
            pct = max(0.0, 100.0 * float(row["weight"]) / max_weight)
            term_rows.append(
                f'<tr class="term"><td class="label">{_esc(row["label"])}</td>'
                f'<td class="weight">{_fmt(row["weight"], 4)}</td>'
                f'<td><div class="bar" style="width:{pct:.1f}%"></div></td></tr>'
            )
        parts = [
            f'<section class="topic{"" if stable is not False else " unstable"}" '
            f'id="topic-{topic}" data-topic="{topic}" role="tabpanel" '
            f'aria-labelledby="tab-{topic}">',
            f"<h2>Topic {topic}{badge}</h2>",
            f'<p class="facts">{_esc("; ".join(facts))}</p>' if facts else "",
            '<table class="terms"><caption class="source">Top terms and their weights'
            "</caption><tbody>",
            *term_rows,
            "</tbody></table>",
        ]
        if passages is not None:
            sub = passages[passages["topic"] == topic].sort_values("rank", kind="stable")
            if len(sub):
                parts.append('<h3>Representative passages</h3><ol class="passages">')
                for _, row in sub.iterrows():
                    parts.append(
                        f'<li class="passage"><span class="source">{_esc(row["document"])}, '
                        f"passage {int(row['passage'])}, topic share {_fmt(row['share'], 2)}"
                        f"</span><blockquote>{_esc(row['text'])}</blockquote></li>"
                    )
                parts.append("</ol>")
        parts.append("</section>")
        sections.append("\n".join(p for p in parts if p))
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{_esc(title)}</h1>"
        + (f"<p>{_esc(subtitle)}</p>" if subtitle else "")
        + "</header>",
        '<div class="layout">',
        f'<nav role="tablist" aria-label="Topics">{"".join(nav)}</nav>',
        "<main>",
        *sections,
        "</main>",
        "</div>",
        "<footer>Made with textkit. Select a topic on the left (or use the arrow keys).</footer>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(page)


def write_topic_explorer(
    path: str | os.PathLike[str],
    terms: pd.DataFrame,
    *,
    stability: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
    prevalence: pd.Series | None = None,
    title: str = "Topic explorer",
    subtitle: str = "",
) -> Path:
    """Write the topic explorer of :func:`topic_explorer_html` to one HTML file.

    Parameters
    ----------
    path : str or path
        The ``.html`` file to write (its folder is created if missing).
    terms, stability, passages, prevalence, title, subtitle
        See :func:`topic_explorer_html`.

    Returns
    -------
    Path
        The file written (UTF-8, ``"\\n"`` line ends, same bytes for the same tables).

    Raises
    ------
    ConfigError
        If ``path`` does not end in ``.html`` or a table lacks a column.

    Examples
    --------
    >>> import tempfile
    >>> terms = pd.DataFrame({"topic": [1], "rank": [1], "label": ["peace"], "weight": [0.3]})
    >>> out = write_topic_explorer(Path(tempfile.mkdtemp()) / "topics.html", terms)
    >>> out.name, out.read_text(encoding="utf-8").count('data-topic="1"') >= 2
    ('topics.html', True)
    """
    target = Path(path)
    if target.suffix.lower() != ".html":
        raise ConfigError(f"'path' must end in .html (got {shorten(str(path))})")
    page = topic_explorer_html(
        terms,
        stability=stability,
        passages=passages,
        prevalence=prevalence,
        title=title,
        subtitle=subtitle,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(page)
    return target
