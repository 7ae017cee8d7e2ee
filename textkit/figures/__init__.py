"""Paper figures: one style, one ``save_figure``, one ``plot_*`` function per figure.

Every plot function has the form ``plot_*(data, *, ax=None, ...) -> Figure`` and
draws from a labelled table; :func:`save_figure` writes the figure as PDF
(Type 42 fonts), 300-dpi PNG and SVG, plus the plotted data as CSV, all
byte-deterministic.  Each ``textkit/figures/<module>.py`` lists its public names
in its own ``__all__`` and is re-exported here by one line,
``from textkit.figures.<module> import *  # noqa: F403``.

Examples
--------
>>> from textkit import figures
>>> figures.COLUMN_WIDTH, figures.TEXT_WIDTH
(3.5, 7.2)
"""

from textkit.figures.corpus import *  # noqa: F403
from textkit.figures.save import *  # noqa: F403
from textkit.figures.similarity import *  # noqa: F403
from textkit.figures.style import *  # noqa: F403
from textkit.figures.topics import *  # noqa: F403
from textkit.figures.trends import *  # noqa: F403
