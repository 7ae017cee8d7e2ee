"""The topic explorer: deterministic, self-contained, and rendered by a real headless browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from textkit.errors import ConfigError
from textkit.explorer import topic_explorer_html, write_topic_explorer

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


TERMS = pd.DataFrame(
    {
        "topic": [1, 1, 1, 2, 2, 2, 3, 3, 3],
        "rank": [1, 2, 3] * 3,
        "term": ["peac", "secur", "human_secur", "aid", "odas", "loan", "nato", "allianc", "x"],
        "label": [
            "peace",
            "security",
            "human security",
            "aid",
            "ODA",
            "loans",
            "NATO",
            "alliance",
            "<script>alert(1)</script>",
        ],
        "weight": [0.30, 0.20, 0.10, 0.25, 0.15, 0.05, 0.40, 0.30, 0.01],
    }
)
STABILITY = pd.DataFrame(
    {"stability": [0.97, 0.42, 0.88], "stable": [True, False, True]},
    index=pd.Index([1, 2, 3], name="topic"),
)
PASSAGES = pd.DataFrame(
    {
        "topic": [1, 2, 3],
        "rank": [1, 1, 1],
        "document": ["Blue Book draft (2000)", "MOFA peacebuilding (2007)", "NATO-Japan (2008)"],
        "doc_id": ["a", "b", "c"],
        "passage": [0, 4, 2],
        "share": [0.91, 0.77, 0.88],
        "text": [
            "Human security problems, including …",
            "Official development …",
            "NATO and Japan share …",
        ],
    }
)


def _page(**kwargs: object) -> str:
    return topic_explorer_html(
        TERMS,
        stability=STABILITY,
        passages=PASSAGES,
        prevalence=pd.Series({1: 0.5, 2: 0.3, 3: 0.2}),
        title="Seeds",
        **kwargs,  # type: ignore[arg-type]
    )


def test_explorer_is_deterministic_and_self_contained(tmp_path):
    a = write_topic_explorer(tmp_path / "a.html", TERMS, stability=STABILITY, passages=PASSAGES)
    b = write_topic_explorer(
        tmp_path / "b" / "b.html", TERMS, stability=STABILITY, passages=PASSAGES
    )
    assert a.read_bytes() == b.read_bytes()
    page = a.read_text(encoding="utf-8")
    # nothing is loaded from anywhere: no URLs, no src/href attributes, no imports
    assert "://" not in page
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page
    # labels are escaped, never executed
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_explorer_content_from_the_tables():
    page = _page()
    for label in ["peace", "human security", "ODA", "NATO", "alliance"]:
        assert f'<td class="label">{label}</td>' in page
    assert '<td class="weight">0.2500</td>' in page
    assert "unstable 0.42" in page and "stable 0.97" in page
    assert "MOFA peacebuilding (2007), passage 4, topic share 0.77" in page
    assert "mean share of passages 0.300" in page


def test_explorer_errors(tmp_path):
    with pytest.raises(ConfigError, match="'path' must end in .html"):
        write_topic_explorer(tmp_path / "x.txt", TERMS)
    with pytest.raises(ConfigError, match="'terms' lacks column\\(s\\) \\['weight'\\]"):
        topic_explorer_html(TERMS.drop(columns="weight"))
    with pytest.raises(ConfigError, match="'terms' has no rows"):
        topic_explorer_html(TERMS.iloc[:0])
    with pytest.raises(ConfigError, match="'passages' lacks column"):
        topic_explorer_html(TERMS, passages=PASSAGES.drop(columns="text"))


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found: install it to run the browser test "
            "(Debian/Ubuntu: `sudo apt-get install -y chromium`)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="install the dev extras: pip install -e '.[dev]'"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.mark.browser
def test_explorer_renders_offline_in_chromium(browser, tmp_path):
    path = write_topic_explorer(
        tmp_path / "topics.html",
        TERMS,
        stability=STABILITY,
        passages=PASSAGES,
        prevalence=pd.Series({1: 0.5, 2: 0.3, 3: 0.2}),
    )
    context = browser.new_context(offline=True, java_script_enabled=True)
    page = context.new_page()
    console, failed, requested, blocked = [], [], [], []
    page.on("console", lambda msg: console.append((msg.type, msg.text)))
    page.on("pageerror", lambda err: console.append(("pageerror", str(err))))
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("request", lambda req: requested.append(req.url))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")

    # every topic is listed with its top terms, and the first one is shown
    tabs = page.locator("nav button[data-topic]")
    assert tabs.count() == 3
    assert "peace, security, human security" in tabs.nth(0).inner_text()
    assert "unstable" in tabs.nth(1).inner_text()
    assert page.locator("section#topic-1").is_visible()
    assert not page.locator("section#topic-2").is_visible()
    shown = page.locator("section#topic-1 td.label").all_inner_texts()
    assert shown == ["peace", "security", "human security"]
    widths = page.locator("section#topic-1 .bar").evaluate_all(
        "bars => bars.map(b => b.getBoundingClientRect().width)"
    )
    assert widths[0] > widths[1] > widths[2] > 0  # bars drawn in proportion to the weights

    # selecting another topic shows its terms and passages and hides the first
    tabs.nth(1).click()
    assert page.locator("section#topic-2").is_visible()
    assert not page.locator("section#topic-1").is_visible()
    assert page.locator("section#topic-2 td.label").all_inner_texts() == ["aid", "ODA", "loans"]
    assert "MOFA peacebuilding (2007)" in page.locator("section#topic-2 .passage").inner_text()
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    assert page.url.endswith("#topic-2")

    # arrow keys move the selection; the escaped label shows as text
    page.keyboard.press("ArrowDown")
    assert page.locator("section#topic-3").is_visible()
    assert "<script>alert(1)</script>" in page.locator("section#topic-3").inner_text()

    # opening at an address fragment selects that topic
    page.goto(path.as_uri() + "#topic-3")
    page.reload()
    assert page.locator("section#topic-3").is_visible()

    assert requested and all(url.startswith("file://") for url in requested)
    assert failed == [] and blocked == []
    assert [c for c in console if c[0] in ("error", "pageerror", "warning")] == []
    context.close()


@pytest.mark.browser
def test_explorer_reads_without_scripts(browser, tmp_path):
    path = write_topic_explorer(tmp_path / "topics.html", TERMS, stability=STABILITY)
    context = browser.new_context(offline=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    # every topic is visible one after another
    for topic in (1, 2, 3):
        assert page.locator(f"section#topic-{topic}").is_visible()
    context.close()
