"""Benchmark: textkit on large corpora -- throughput on all cores and on Dask, peak memory.

Not a timed test: run it by hand on a quiet machine, e.g.::

    .venv/bin/python benchmarks/bench_scale.py                 # 100 MB + 1 GB
    .venv/bin/python benchmarks/bench_scale.py --sizes 100     # throughput only

It builds English corpus folders offline under ``benchmarks/data/`` (git-ignored)
by replicating the seed documents with variation -- paragraphs drawn at random
from all seeds, shuffled sentences, a bounded set of invented names mixed in, years
1990-2020 with a few undated documents -- and then measures, each configuration
in a fresh child process:

* throughput (MB/s of text) of :func:`textkit.count_terms` with the default
  analyzer (cleaning + tokenising) on the 100 MB corpus: serial, ``n_jobs=2``,
  and :func:`textkit.count_terms_dask` on a LocalCluster of 2 worker processes;
  starting the workers (each imports textkit) is timed separately and reported
  beside the throughput; the counts of the three are checked equal;
* peak resident memory (``ru_maxrss`` of the child) of the streamed per-year
  counts and vocabulary (``per_document=False``) at 100 MB and at 1 GB.

Targets (issue 8): ``n_jobs=2`` >= 1.6x serial, Dask >= 1.4x serial, peak RSS at
1 GB <= 1.5x the peak at 100 MB.  Results are printed and written to
``benchmarks/results/bench_scale.json``.  Timings are noisy on a shared machine:
compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
MB = 1024 * 1024

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_SYLLABLES = ("ka", "to", "ri", "na", "mo", "shi", "ra", "ven", "dor", "al", "bek", "su", "tan")


# --------------------------------------------------------------------------- corpus


def _paragraphs() -> list[str]:
    from textkit.corpus import read_text
    from textkit.segment import split_paragraphs

    seeds = ROOT / "seeds"
    return [
        p
        for path in sorted(seeds.glob("*.txt"))
        for p in split_paragraphs(read_text(path))
        if len(p.split()) >= 8
    ]


def build_corpus(size_mb: int, *, seed: int = 0) -> Path:
    """Write a corpus folder of about ``size_mb`` MB (reused if already built)."""
    folder = DATA / f"corpus_{size_mb}mb"
    marker = folder / ".complete"
    if marker.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    names = sorted(
        {
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(5000)
        }
    )
    target = size_mb * MB
    written, i = 0, 0
    rows = []
    t0 = time.perf_counter()
    while written < target:
        n_par = rng.choice((3, 5, 8, 12, 20, 40, 80))
        parts = []
        for _ in range(n_par):
            sentences = _SENTENCE_END.split(rng.choice(paragraphs))
            rng.shuffle(sentences)
            text = " ".join(sentences)
            if rng.random() < 0.5:
                text = f"{text} {rng.choice(names)} and {rng.choice(names)} agreed."
            parts.append(text)
        body = "\n\n".join(parts) + "\n"
        name = f"doc_{i:07d}.txt"
        (folder / name).write_text(body, encoding="utf-8")
        year = "" if rng.random() < 0.03 else str(rng.randint(1990, 2020))
        rows.append({"file": name, "doc_id": f"d{i:07d}", "year": year})
        written += len(body.encode("utf-8"))
        i += 1
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "doc_id", "year"])
        writer.writeheader()
        writer.writerows(rows)
    marker.write_text(f"{i} documents, {written} bytes\n", encoding="utf-8")
    print(
        f"built {folder.name}: {i:,} documents, {written / MB:.0f} MB "
        f"in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    return folder


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt"))


# --------------------------------------------------------------------------- child runs


def _warm(seconds: float) -> None:
    import textkit.stream  # noqa: F401

    time.sleep(seconds)


def _child(mode: str, folder: Path) -> dict[str, object]:
    """Run one configuration in this (fresh) process and report time and peak RSS."""
    import textkit
    from textkit.stream import default_analyzer

    analyzer = default_analyzer()
    start = 0.0
    info: dict[str, object] = {"mode": mode}
    if mode == "serial":
        start = time.perf_counter()
        counts = textkit.count_terms(folder, analyzer=analyzer, progress=False)
    elif mode == "parallel":
        from joblib import Parallel, delayed

        t0 = time.perf_counter()  # start the 2 loky workers (they import textkit) before timing
        Parallel(n_jobs=2, backend="loky")(delayed(_warm)(1.0) for _ in range(2))
        info["startup_s"] = time.perf_counter() - t0
        start = time.perf_counter()
        counts = textkit.count_terms(folder, analyzer=analyzer, n_jobs=2, progress=False)
    elif mode == "dask":
        t0 = time.perf_counter()
        with textkit.dask_client(n_workers=2, threads_per_worker=1) as client:
            client.run(_warm, 0.0)  # the workers import textkit before timing
            info["startup_s"] = time.perf_counter() - t0
            start = time.perf_counter()
            counts = textkit.count_terms_dask(folder, analyzer=analyzer, client=client)
            info["seconds"] = time.perf_counter() - start
    elif mode == "memory":
        start = time.perf_counter()
        counts = textkit.count_terms(folder, analyzer=analyzer, per_document=False, progress=False)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    info.setdefault("seconds", time.perf_counter() - start)
    by_year = counts.by_year()
    info.update(
        documents=counts.n_documents,
        tokens=counts.n_tokens,
        terms=len(counts.doc_freq),
        checksum=int((by_year["count"] * (by_year["year"].astype("int64") % 97 + 1)).sum()),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return info


def run_child(mode: str, folder: Path) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(folder)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {mode} failed:\n{out.stderr[-3000:]}")
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, object] = json.loads(line)
    return result


# --------------------------------------------------------------------------- main


def measure_throughput(small: Path) -> dict[str, object]:
    mb = corpus_bytes(small) / MB
    print(f"\nthroughput on {small.name} ({mb:.0f} MB), default analyzer (clean + tokenize)")
    runs: dict[str, dict[str, object]] = {}
    for mode in ("serial", "parallel", "dask"):
        runs[mode] = run_child(mode, small)
        r = runs[mode]
        extra = f"  (+ {r['startup_s']:.1f} s to start the workers)" if "startup_s" in r else ""
        secs = float(r["seconds"])  # type: ignore[arg-type]
        print(f"  {mode:9s} {secs:7.1f} s  {mb / secs:6.2f} MB/s{extra}", flush=True)
    base = float(runs["serial"]["seconds"])  # type: ignore[arg-type]
    for mode in ("parallel", "dask"):
        runs[mode]["speedup"] = base / float(runs[mode]["seconds"])  # type: ignore[arg-type]
    same = len({(r["tokens"], r["terms"], r["checksum"]) for r in runs.values()}) == 1
    print(
        f"  speed-up n_jobs=2: {runs['parallel']['speedup']:.2f}x (target >= 1.6), "
        f"Dask 2 workers: {runs['dask']['speedup']:.2f}x (target >= 1.4); "
        f"identical counts: {same}"
    )
    return {"corpus_mb": mb, "runs": runs, "identical_counts": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1024], help="corpus MB")
    parser.add_argument("--no-throughput", action="store_true", help="only measure memory")
    parser.add_argument("--no-memory", action="store_true", help="only measure throughput")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.corpus)), flush=True)
        return

    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
    }
    folders = {size: build_corpus(size) for size in args.sizes}
    if not args.no_throughput:
        results["throughput"] = measure_throughput(folders[min(args.sizes)])
    if not args.no_memory:
        memory: dict[int, dict[str, object]] = {}
        print("\npeak RSS of streamed per-year counts + vocabulary (per_document=False), serial")
        for size, folder in folders.items():
            r = run_child("memory", folder)
            r["corpus_mb"] = corpus_bytes(folder) / MB
            memory[size] = r
            print(
                f"  {r['corpus_mb']:7.0f} MB corpus: {r['documents']:>7,} docs, "
                f"{r['terms']:>7,} terms, peak RSS {r['peak_rss_mb']:6.0f} MB, "
                f"{r['seconds']:.0f} s",
                flush=True,
            )
        if len(memory) > 1:
            lo, hi = memory[min(memory)], memory[max(memory)]
            ratio = float(hi["peak_rss_mb"]) / float(lo["peak_rss_mb"])  # type: ignore[arg-type]
            print(f"  ratio {ratio:.2f} (target <= 1.5)")
            results["memory_ratio"] = ratio
        results["memory"] = memory
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench_scale-{stamp}.json").write_text(
        json.dumps(results, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
