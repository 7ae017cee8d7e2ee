"""textkit: a text-analysis research toolkit.

Load a corpus folder with its metadata, clean and tokenise it, and run the
analyses (topics, term trends, similarity) whose figures go into papers.

Examples
--------
>>> import textkit
>>> issubclass(textkit.CorpusError, textkit.TextkitError)
True
"""

from __future__ import annotations

from textkit.errors import ConfigError, CorpusError, MetadataError, TextkitError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "CorpusError",
    "MetadataError",
    "TextkitError",
]
