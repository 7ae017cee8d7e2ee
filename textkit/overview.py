"""Describe a corpus: one row per document with its size before and after cleaning."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from textkit.corpus import Corpus
from textkit.errors import ConfigError
from textkit.segment import split_passages

__all__ = ["describe_corpus"]


def describe_corpus(
    corpus: Corpus,
    *,
    cleaner: Callable[[str], str] | None = None,
    tokenizer: Callable[[str], list[str]] | None = None,
    passage_size: int = 150,
) -> pd.DataFrame:
    """Size of every document as loaded and after cleaning (words, tokens, passages).

    Parameters
    ----------
    corpus : Corpus
        The corpus as loaded (raw texts).
    cleaner : callable, optional
        Text → cleaned text; default :func:`textkit.clean.clean`.
    tokenizer : callable, optional
        Cleaned text → tokens; default :func:`textkit.tokenize.tokenize` with
        its default options (stopwords removed).
    passage_size : int, default 150
        Words per passage, as in :func:`textkit.segment.split_passages`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``doc_id`` in corpus order, columns ``label``, ``year``,
        ``n_chars``, ``n_words`` (whitespace-separated, as loaded),
        ``n_words_clean``, ``n_tokens``, ``n_passages`` and ``pct_chars_removed``
        (share of characters the cleaning removed, in percent).

    Examples
    --------
    >>> import pandas as pd
    >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2000],
    ...                          "text": ["**Peace** and  security. See http://x.org"]}))
    >>> table = describe_corpus(c, cleaner=lambda t: t.replace("*", ""), tokenizer=str.split)
    >>> table.loc["a", ["n_words", "n_tokens", "n_passages"]].tolist()
    [5, 5, 1]
    """
    if not isinstance(passage_size, int) or passage_size < 1:
        raise ConfigError(f"'passage_size' must be a positive int (got {passage_size!r})")
    from textkit.clean import clean
    from textkit.tokenize import tokenize

    clean_text = cleaner if cleaner is not None else clean
    split_tokens = tokenizer if tokenizer is not None else tokenize
    labels = corpus.labels
    rows = []
    for doc in corpus:
        cleaned = clean_text(doc.text)
        rows.append(
            {
                "doc_id": doc.doc_id,
                "label": labels[doc.doc_id],
                "year": doc.year,
                "n_chars": len(doc.text),
                "n_words": len(doc.text.split()),
                "n_words_clean": len(cleaned.split()),
                "n_tokens": len(split_tokens(cleaned)),
                "n_passages": len(split_passages(cleaned, size=passage_size)),
                "pct_chars_removed": 100.0 * (1 - len(cleaned) / max(1, len(doc.text))),
            }
        )
    table = pd.DataFrame(rows).set_index("doc_id")
    table["year"] = pd.array(table["year"], dtype="Int64")
    return table
