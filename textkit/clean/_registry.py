"""The registry that pairs each cleaning step with its counting twin."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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
