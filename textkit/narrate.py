"""Narration helpers for notebooks: sentences built from computed numbers.

The notebooks describe their results in words that follow from the output; these
small helpers keep that prose consistent ("1 document", "3 documents") and show
it as Markdown in Jupyter.

Examples
--------
>>> f"{plural(1, 'document')} and {plural(3, 'passage')} in {plural(2, 'analysis', 'analyses')}"
'1 document and 3 passages in 2 analyses'
"""

from __future__ import annotations

import pandas as pd

__all__ = ["fmt", "plural", "say"]


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` followed by ``word``, in the plural unless ``n`` is 1.

    Parameters
    ----------
    n : int
        The count.
    word : str
        The singular form.
    many : str, optional
        The plural form when it is not ``word + "s"``.

    Returns
    -------
    str

    Examples
    --------
    >>> plural(1, "year"), plural(0, "year"), plural(4, "query", "queries")
    ('1 year', '0 years', '4 queries')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


def fmt(value: object, digits: int = 3) -> str:
    """A number with ``digits`` decimals, or ``"NaN"`` for a missing value.

    Examples
    --------
    >>> fmt(0.123456), fmt(float("nan")), fmt(None), fmt(pd.NA), fmt(2, digits=1)
    ('0.123', 'NaN', 'NaN', 'NaN', '2.0')
    """
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return "NaN"
    return f"{value:.{digits}f}"


def say(markdown: str) -> None:
    """Show ``markdown`` as rendered Markdown in Jupyter (printed elsewhere).

    Examples
    --------
    >>> say("**2** documents")  # outside Jupyter the text is printed
    **2** documents
    """
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        print(markdown)
        return
    if get_ipython() is None:
        print(markdown)
    else:
        display(Markdown(markdown))
