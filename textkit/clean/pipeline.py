"""Pipelines of named cleaning steps, the default pipeline, clean() and the cleaning report."""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from textkit.clean._registry import _COUNTED, Step
from textkit.clean.normalize import normalize_unicode, normalize_whitespace
from textkit.clean.remove import (
    remove_credits,
    remove_emails,
    remove_html_tags,
    remove_markdown,
    remove_page_furniture,
    remove_urls,
)
from textkit.clean.repair import dehyphenate, repair_spacing
from textkit.clean.replace import replace_markdown_links, unescape
from textkit.errors import ConfigError, TextkitError, shorten


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
    module = str(getattr(func, "__module__", "?"))
    qualname = str(getattr(func, "__qualname__", "?"))
    if module.startswith("textkit.clean.") and _public_step(qualname) is func:
        module = "textkit.clean"  # the public name, which stays put if the step moves module
    description: dict[str, Any] = {"function": f"{module}.{qualname}"}
    if args:
        description["args"] = list(args)
    if kwargs:
        description["kwargs"] = kwargs
    return description


def _public_step(name: str) -> Any:
    """The step ``textkit.clean.<name>``, or None."""
    return getattr(importlib.import_module("textkit.clean"), name, None)


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
