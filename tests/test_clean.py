"""Tests for textkit.clean: every step on real seed lines and constructed cases,
the pipeline object, the default pipeline on whole seed documents, the report."""

from __future__ import annotations

import functools
import json
import pickle
import types
from pathlib import Path

import pandas as pd
import pytest

from textkit.clean import (
    DEFAULT_PIPELINE,
    FURNITURE_LINES,
    Pipeline,
    clean,
    cleaning_report,
    dehyphenate,
    normalize_unicode,
    normalize_whitespace,
    remove_credits,
    remove_emails,
    remove_html_tags,
    remove_markdown,
    remove_page_furniture,
    remove_urls,
    repair_spacing,
    replace_markdown_links,
    unescape,
)
from textkit.errors import ConfigError, TextkitError


def read_seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- real lines
# (step, a line copied from the seeds, what the step must make of it)
SEED_LINES = [
    (normalize_unicode,
     "The draft, \u201c2000 Diplomatic Blue Book,\u201d obtained Wednesday by Kyodo",
     'The draft, "2000 Diplomatic Blue Book," obtained Wednesday by Kyodo'),
    (normalize_unicode, "NATO\u2019s Secretary General visited Tokyo",
     "NATO's Secretary General visited Tokyo"),
    (unescape, "GDP per capita:US\\$354\\*", "GDP per capita:US$354*"),
    (unescape, "\\*Source:United Nations Development Programme (2006)",
     "*Source:United Nations Development Programme (2006)"),
    (unescape, "(more than \\$750 million in the UN budget from 2004 through 2006)",
     "(more than $750 million in the UN budget from 2004 through 2006)"),
    (unescape,
     "[http://www.pko.go.jp/PKO\\\\_E/pko\\\\_main\\\\_e.html](http://www.pko.go.jp/PKO_E/pko_main_e.html)",
     "[http://www.pko.go.jp/PKO_E/pko_main_e.html](http://www.pko.go.jp/PKO_E/pko_main_e.html)"),
    (replace_markdown_links,
     "[http://www.pko.go.jp/PKO\\\\_E/pko\\\\_main\\\\_e.html](http://www.pko.go.jp/PKO_E/pko_main_e.html)",
     "http://www.pko.go.jp/PKO\\\\_E/pko\\\\_main\\\\_e.html"),
    (remove_html_tags, "Area:181,000km<sup>2</sup>  ", "Area:181,000km2  "),
    (remove_urls, "<http://www.kantei.go.jp/foreign/index-e.html>", ""),
    (remove_urls, "(Afghanistan's New Beginnings Programme-<http://www.undpanbp.org>)",
     "(Afghanistan's New Beginnings Programme-)"),
    (remove_credits,
     "SDF vessels supporting anti-terrorist operations on the Indian Ocean (Photo: Ministry of "
     "Defense)",
     "SDF vessels supporting anti-terrorist operations on the Indian Ocean "),
    (remove_credits, "The United Nations headquarters (Photo:PANA)",
     "The United Nations headquarters "),
    (remove_credits, "(Photo: JICA)", ""),
    (remove_credits, "\u00a9UN Photo 159201 / P.Sudahkaran, Photo: UN Information Centre.", ""),
    (remove_credits, "**(3) Emphasis on the perspective of \"human security\" (see p. 12)**",
     "**(3) Emphasis on the perspective of \"human security\" **"),
    (remove_page_furniture, "No comments:", ""),
    (remove_page_furniture, "Back to Index", ""),
    (remove_markdown, "# Japan's Efforts on Peacebuilding", "Japan's Efforts on Peacebuilding"),
    (remove_markdown, "#### Timor-Leste", "Timor-Leste"),
    (remove_markdown, "**(2) Respect for local communities and their ownership**",
     "(2) Respect for local communities and their ownership"),
    (remove_markdown, "Overview .....\t2", "Overview"),
    (remove_markdown, "Initiatives Aimed at the Consolidation of Peace .....\t10",
     "Initiatives Aimed at the Consolidation of Peace"),
    (remove_markdown, "----------------\t---", ""),
    (remove_markdown, "--\t---", ""),
    (repair_spacing, "investigation of terrorist crimes and counter- narcotic measures",
     "investigation of terrorist crimes and counter-narcotic measures"),
    (repair_spacing, "- Japan' s ODA White Paper", "- Japan's ODA White Paper"),
    (repair_spacing, "coordinating mid- and long-term reconstruction assistance",
     "coordinating mid- and long-term reconstruction assistance"),
    (repair_spacing, "to \u201csolidify stable medium- to long-term economic development",
     "to \u201csolidify stable medium- to long-term economic development"),
    (dehyphenate, "in the Asia-Pacific region through bilateral and multilateral cooperation.",
     "in the Asia-Pacific region through bilateral and multilateral cooperation."),
    (normalize_whitespace, " Capital: Dili  \n Population: 0.9 millions\\*  ",
     "Capital: Dili\nPopulation: 0.9 millions\\*"),
]


@pytest.mark.parametrize(("step", "line", "expected"), SEED_LINES,
                         ids=[f"{s.__name__}-{i}" for i, (s, _, _) in enumerate(SEED_LINES)])
def test_step_on_seed_line(step, line, expected):
    assert step(line) == expected


def test_seed_lines_are_real(seeds_dir):
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    for _, line, _ in SEED_LINES:
        assert line in raw, line


# --------------------------------------------------------------------------- constructed cases
CONSTRUCTED = [
    (normalize_unicode, "\ufb01nance \uff21\uff22 x\u00b2 \u2026", "finance AB x2 ..."),
    (normalize_unicode, "a\u2013b a\u2212b a\u2010b", "a-b a-b a-b"),
    (normalize_unicode, "war\u2014and peace", "war - and peace"),
    (normalize_unicode, "no\u00a0break\u2009thin\u3000ideographic", "no break thin ideographic"),
    (normalize_unicode, "zero\u200bwidth soft\u00adhyphen \ufeffbom", "zerowidth softhyphen bom"),
    (normalize_unicode, "a\r\nb\rc\u2028d\x0ce", "a\nb\nc\nd\ne"),
    (normalize_unicode, "e\u200b\u0301", "\u00e9"),  # accent rejoins its letter
    (normalize_unicode, "plain ascii\ttab", "plain ascii\ttab"),
    (unescape, "\\_ \\# \\[x\\] \\\\ a\\b", "_ # [x] \\\\ a\\b"),
    (unescape, "&amp;amp; &lt;b&gt; &nbsp;x &#x2019;", "& <b>  x '"),
    (unescape, "AT&T and R&D", "AT&T and R&D"),
    (replace_markdown_links, "![alt text](img.png) and [[a](b)](c)", "alt text and a"),
    (replace_markdown_links, "[Japan will] provide", "[Japan will] provide"),
    (remove_html_tags, "<p class='x'>a</p><br/>b<!-- note -->c", "abc"),
    (remove_html_tags, "if a < b and b > c", "if a < b and b > c"),
    (remove_html_tags, "<<b>i>nested", "nested"),
    (remove_urls, "see https://example.org/a?b=c, then www.mofa.go.jp.", "see , then ."),
    (remove_urls, "list\n<http://www.mofa.go.jp/>\nnext", "list\nnext"),
    (remove_urls, "ftp://files.example.org/x.pdf", ""),
    (remove_emails, "mail info@mofa.go.jp, or mailto:j.doe+x@un.org!", "mail , or !"),
    (remove_emails, "@handle and a@b", "@handle and a@b"),
    (remove_credits, "(Photos: UNHCR) (Courtesy of JICA) (pp. 3-4) (p. 5)", "   "),
    (remove_credits, "Photo: Cabinet Public Relations Office\nText", "Text"),
    (remove_credits, "a photograph (not a credit)", "a photograph (not a credit)"),
    (remove_page_furniture, "Text\n## back to top ##\n**NO COMMENTS:**\nMore", "Text\nMore"),
    (remove_page_furniture, "There were no comments: none.", "There were no comments: none."),
    (remove_markdown, "Title\n=====\n| a | b |\n|---|---|", "Title\n| a | b |"),
    (remove_markdown, "## # Nested\n#hashtag\n###", "Nested\n#hashtag\n"),
    (remove_markdown, "***bold italic*** and * single", "bold italic and * single"),
    (remove_markdown, "Contents ......... iv", "Contents"),
    (remove_markdown, "Wait... 3 of them", "Wait... 3 of them"),
    (dehyphenate, "recon-\nstruction", "reconstruction"),
    (dehyphenate, "recon- \n  struction", "reconstruction"),
    (dehyphenate, "Asia-\nPacific and Timor-\nLeste", "Asia-Pacific and Timor-Leste"),
    (dehyphenate, "self-\ndefense; self-defense", "self-defense; self-defense"),
    (dehyphenate, "medium-\nto long-term", "medium- to long-term"),
    (dehyphenate, "end-\n\nNew paragraph", "end-\n\nNew paragraph"),
    (dehyphenate, "1990-\n1995 and x -\ny", "1990-\n1995 and x -\ny"),
    (dehyphenate, "ante-\nce\u0301dent", "antece\u0301dent"),
    (repair_spacing, "small- or mid-size; Asia- Pacific", "small- or mid-size; Asia-Pacific"),
    (repair_spacing, "- list item; 5- 6; ' s", "- list item; 5- 6; ' s"),
    (normalize_whitespace, "\n\n  a  \t b \n\n \n\n\nc\n\n", "a b\n\nc"),
    (normalize_whitespace, "line one\nline two", "line one\nline two"),
    (normalize_whitespace, "a\u00a0\u2003b\r\nc", "a b\nc"),
    (normalize_whitespace, "", ""),
]


@pytest.mark.parametrize(("step", "text", "expected"), CONSTRUCTED,
                         ids=[f"{s.__name__}-{i}" for i, (s, _, _) in enumerate(CONSTRUCTED)])
def test_step_on_constructed_text(step, text, expected):
    assert step(text) == expected


def test_steps_are_usable_alone_on_empty_text():
    for _, step in DEFAULT_PIPELINE:
        assert step("") == ""


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ((normalize_unicode, remove_markdown), "Heading"),  # full-width '#' folded first
        ((remove_markdown, normalize_unicode), "# Heading"),
    ],
)
def test_step_order_matters(order, expected):
    assert Pipeline(order)("\uff03 Heading") == expected


def test_step_options_and_errors():
    assert remove_urls("a http://x.org b", replacement="URL") == "a URL b"
    assert remove_emails("a x@y.org b", replacement="EMAIL") == "a EMAIL b"
    assert remove_page_furniture("a\nCopyright notice", lines=["copyright notice"]) == "a"
    assert remove_page_furniture("a\nNo comments:", lines=[]) == "a\nNo comments:"
    assert normalize_unicode("\ufb01", form="NFC") == "\ufb01"
    with pytest.raises(ConfigError, match="'replacement' must not look like a URL"):
        remove_urls("http://x.org", replacement="http://y.org")
    with pytest.raises(ConfigError, match="'replacement' must not contain '@'"):
        remove_emails("x@y.org", replacement="at@")
    with pytest.raises(ConfigError, match="'form' must be 'NFKC' or 'NFC'"):
        normalize_unicode("x", form="NFD")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'lines' must be strings"):
        remove_page_furniture("x", lines=[1])  # type: ignore[list-item]


# --------------------------------------------------------------------------- whole seed documents
def test_clean_news_report_changes_only_quotes(seeds_dir):
    raw = read_seed(seeds_dir, "000")
    expected = (raw.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
                .strip())
    assert clean(raw) == expected


def test_clean_nato_page_drops_furniture(seeds_dir):
    raw = read_seed(seeds_dir, "001")
    assert raw.rstrip().endswith("\n\nNo comments:")
    expected = raw.rstrip()[: -len("\n\nNo comments:")].replace("\u2019", "'")
    assert clean(raw) == expected


def test_clean_action_plan_repairs_spacing_and_drops_furniture(seeds_dir):
    raw = read_seed(seeds_dir, "003")
    expected = (raw.rstrip()[: -len("\nBack to Index")]
                .replace("counter- narcotic", "counter-narcotic"))
    assert "\u2019" not in raw and "\u201c" not in raw
    assert clean(raw) == expected


def test_clean_essay_changes_only_apostrophes(seeds_dir):
    raw = read_seed(seeds_dir, "004")
    assert clean(raw) == raw.replace("\u2019", "'").strip()


def test_clean_peacebuilding_pamphlet(seeds_dir):
    raw = read_seed(seeds_dir, "002")
    cleaned = clean(raw)
    for artefact in ["**", "<sup>", "\\", "http", "www.", "\t", ".....", "(Photo", "\u00a9",
                     "(see p.", "##", "\u201c", "\u2019", "  ", "\n\n\n", " \n", "\n "]:
        assert artefact not in cleaned, artefact
    lines = cleaned.split("\n")
    for line in ["Japan's Efforts on Peacebuilding", "Overview", "Timor-Leste",
                 "Area:181,000km2", "GDP per capita:US$354*", "- Japan's ODA White Paper",
                 "(3) Emphasis on the perspective of \"human security\"",
                 "- Prime Minister of Japan and His Cabinet",
                 "The United Nations headquarters"]:
        assert line in lines, line
    # the list of web sites stays one paragraph once the URL lines are gone
    assert ("- Prime Minister of Japan and His Cabinet\n"
            "- Secretariat of the International Peace Cooperation Headquarters, Cabinet Office"
            ) in cleaned
    # no table rule survives as a line
    assert not any(set(line) <= set("-\t ") and line for line in lines)


def test_clean_keeps_every_paragraph_of_plain_documents(seeds_dir):
    for prefix in ["000", "001", "004"]:
        raw = read_seed(seeds_dir, prefix)
        paragraphs = [p for p in raw.split("\n\n") if p.strip() and p.strip() != "No comments:"]
        assert clean(raw).split("\n\n") == [clean(p) for p in paragraphs]


def test_clean_is_idempotent_on_every_seed(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        once = clean(path.read_text(encoding="utf-8"))
        assert clean(once) == once, path.name


def test_clean_rejects_non_text():
    with pytest.raises(TextkitError, match="cleaning needs a str"):
        clean(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'pipeline' must be a Pipeline"):
        clean("x", pipeline=[normalize_whitespace])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Pipeline
def module_level_upper(text: str) -> str:
    return text.upper()


def test_pipeline_names_order_and_call():
    pipe = Pipeline([remove_html_tags, ("tidy", normalize_whitespace)])
    assert pipe.names == ("remove_html_tags", "tidy")
    assert len(pipe) == 2
    assert pipe["tidy"] is normalize_whitespace
    assert [name for name, _ in pipe] == ["remove_html_tags", "tidy"]
    assert pipe("<b>a</b>   b ") == "a b"
    assert repr(pipe) == "Pipeline(remove_html_tags -> tidy)"
    with pytest.raises(KeyError, match="no step named 'nope'"):
        pipe["nope"]


def test_pipeline_is_immutable_and_edits_return_new_pipelines():
    pipe = Pipeline([normalize_whitespace])
    with pytest.raises(AttributeError, match="immutable"):
        pipe.steps = ()  # type: ignore[misc]
    added = pipe.add(module_level_upper, before="normalize_whitespace")
    assert added.names == ("module_level_upper", "normalize_whitespace")
    assert pipe.names == ("normalize_whitespace",)
    assert pipe.add(remove_urls, name="urls", after="normalize_whitespace").names == (
        "normalize_whitespace", "urls")
    assert added.remove("module_level_upper") == pipe
    replaced = added.replace("module_level_upper", remove_html_tags)
    assert replaced.names == ("module_level_upper", "normalize_whitespace")
    assert replaced("<b>x</b>") == "x"
    removed = DEFAULT_PIPELINE.remove("remove_urls")
    assert "remove_urls" not in removed.names
    assert removed("see http://x.org") == "see http://x.org"


def test_pipeline_errors():
    with pytest.raises(ConfigError, match="lambdas and local functions do not pickle"):
        Pipeline([lambda text: text])

    def local(text: str) -> str:
        return text

    with pytest.raises(ConfigError, match="lambdas and local functions do not pickle"):
        Pipeline([("local", local)])
    with pytest.raises(ConfigError, match="lambdas"):
        Pipeline([functools.partial(lambda text, x: text, x=1)])
    with pytest.raises(ConfigError, match="step names must be unique"):
        Pipeline([normalize_whitespace, normalize_whitespace])
    with pytest.raises(ConfigError, match="must be callable"):
        Pipeline([("x", "not callable")])  # type: ignore[list-item]
    with pytest.raises(ConfigError, match="'steps' must be an iterable"):
        Pipeline("normalize_whitespace")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="step names must be non-empty"):
        Pipeline([("", normalize_whitespace)])
    pipe = Pipeline([normalize_whitespace])
    with pytest.raises(ConfigError, match="either 'before' or 'after'"):
        pipe.add(remove_urls, before="normalize_whitespace", after="normalize_whitespace")
    with pytest.raises(ConfigError, match="no step named 'nope'"):
        pipe.remove("nope")
    with pytest.raises(ConfigError, match="no step named 'nope'"):
        pipe.replace("nope", remove_urls)
    with pytest.raises(ConfigError, match="no step named 'nope'"):
        pipe.add(remove_urls, after="nope")


def test_pipeline_pickles_with_partials():
    pipe = DEFAULT_PIPELINE.replace("remove_urls", functools.partial(remove_urls, replacement="U"))
    restored = pickle.loads(pickle.dumps(pipe))
    assert restored == pipe
    assert restored("see http://x.org") == "see U"


def test_pipeline_json_round_trip():
    pipe = DEFAULT_PIPELINE.replace(
        "remove_page_furniture",
        functools.partial(remove_page_furniture, lines=("Back to top", "Print")))
    document = json.loads(pipe.to_json())
    assert [step["name"] for step in document["steps"]] == list(pipe.names)
    assert document["steps"][0] == {"name": "normalize_unicode",
                                    "function": "textkit.clean.normalize_unicode"}
    furniture = document["steps"][pipe.names.index("remove_page_furniture")]
    assert furniture["kwargs"] == {"lines": ["Back to top", "Print"]}
    assert document["steps"][-1]["function"] == "textkit.clean.normalize_unicode"
    rebuilt = Pipeline.from_json(pipe.to_json())
    assert rebuilt == pipe
    assert rebuilt("a\nPrint\nb") == "a\nb"
    assert pipe.to_json() == pipe.to_json()  # deterministic
    assert hash(rebuilt) == hash(pipe)
    with pytest.raises(ConfigError, match="not a pipeline description"):
        Pipeline.from_json('{"steps": [{"name": "x", "function": "textkit.clean.nope"}]}')
    with pytest.raises(ConfigError, match="not a pipeline description"):
        Pipeline.from_json("not json")


def test_trace_shows_each_step():
    text = "## Iraq\n\n**Aid** <http://www.mofa.go.jp/>  (Photo: JICA)"
    trace = DEFAULT_PIPELINE.trace(text)
    assert list(trace.index) == ["input", *DEFAULT_PIPELINE.names]
    assert list(trace.columns) == ["text", "chars", "chars_removed", "matches"]
    assert trace.loc["input", "text"] == text
    assert trace.loc["remove_urls", "chars_removed"] == len("<http://www.mofa.go.jp/>")
    assert trace.loc["remove_urls", "matches"] == 1
    assert trace.loc["remove_credits", "chars_removed"] == len("(Photo: JICA)")
    assert trace.loc["remove_markdown", "matches"] == 3  # two "**" runs, one heading
    assert trace["text"].iloc[-1] == clean(text) == "Iraq\n\nAid"
    assert trace["chars_removed"].sum() == len(text) - len(clean(text))
    assert (trace["chars"] == trace["text"].str.len()).all()
    assert pd.isna(trace.loc["normalize_whitespace", "matches"])
    custom = Pipeline([module_level_upper]).trace("a")
    assert custom.loc["module_level_upper", "text"] == "A"
    assert pd.isna(custom.loc["module_level_upper", "matches"])


# --------------------------------------------------------------------------- cleaning_report
EXPECTED_COLUMNS = [*((name, measure) for name in DEFAULT_PIPELINE.names
                      for measure in ("chars_removed", "matches")),
                    ("total", "chars_before"), ("total", "chars_after"), ("total", "chars_removed")]


def test_cleaning_report_counts_by_hand():
    texts = {"a": "Area:14,000km<sup>2</sup> <http://x.org>", "b": "No comments:", "c": "plain"}
    report = cleaning_report(texts)
    assert list(report.index) == ["a", "b", "c"]
    assert report.index.name == "doc_id"
    assert list(report.columns) == EXPECTED_COLUMNS
    assert report.loc["a", ("remove_html_tags", "chars_removed")] == len("<sup></sup>")
    assert report.loc["a", ("remove_html_tags", "matches")] == 2
    assert report.loc["a", ("remove_urls", "chars_removed")] == len("<http://x.org>")
    assert report.loc["b", ("remove_page_furniture", "matches")] == 1
    assert report.loc["c", ("total", "chars_removed")] == 0
    assert report.loc["a", ("total", "chars_after")] == len("Area:14,000km2")
    assert (report[("total", "chars_before")] == [len(t) for t in texts.values()]).all()
    assert report[("normalize_whitespace", "matches")].isna().all()
    per_step = report.xs("chars_removed", axis=1, level=1).drop(columns="total")
    assert (per_step.sum(axis=1) == report[("total", "chars_removed")]).all()


def test_cleaning_report_accepts_series_frames_and_corpora(seeds_dir):
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    from_mapping = cleaning_report(texts)
    from_series = cleaning_report(pd.Series(texts))
    docs = pd.DataFrame({"doc_id": list(texts), "year": [2000] * 5, "text": list(texts.values())})
    from_corpus = cleaning_report(types.SimpleNamespace(docs=docs))
    from_frame = cleaning_report(docs)
    for other in (from_series, from_corpus, from_frame):
        pd.testing.assert_frame_equal(from_mapping, other)
    after = from_mapping[("total", "chars_after")]
    assert list(after) == [len(clean(t)) for t in texts.values()]
    # the pamphlet is the document with the most markup
    assert from_mapping[("total", "chars_removed")].idxmax() == "002"
    assert from_mapping.loc["001", ("remove_page_furniture", "matches")] == 1
    assert from_mapping.loc["003", ("repair_spacing", "matches")] == 1


def test_cleaning_report_errors():
    with pytest.raises(TextkitError, match="needs a mapping doc_id -> text"):
        cleaning_report(["a list"])
    with pytest.raises(TextkitError, match="document 'x': text must be a str"):
        cleaning_report({"x": 3})
    with pytest.raises(TextkitError, match=r"lacks column\(s\) \['doc_id'\]"):
        cleaning_report(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ConfigError, match="'pipeline' must be a Pipeline"):
        cleaning_report({"x": "a"}, pipeline=None)  # type: ignore[arg-type]


def test_default_furniture_lines_are_found_in_seeds(seeds_dir):
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    assert "No comments:" in FURNITURE_LINES and "No comments:" in raw
    assert "Back to Index" in FURNITURE_LINES and "Back to Index" in raw
