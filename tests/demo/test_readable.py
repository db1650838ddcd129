"""The demo site reads like a real blog: hand-written titles, sentences for excerpts, believable offers, and
visitor ids the WordPress plugin accepts."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pertinent.demo.generator import generate, to_domain
from pertinent.demo.writing import (
    CLOSERS,
    OFFERS,
    OPENERS,
    SENTENCES,
    SUBJECTS,
    TITLE_PATTERNS,
    excerpt,
)

REPO = Path(__file__).resolve().parents[2]
VISITOR_PHP = REPO / "wp-plugin" / "pertinent" / "includes" / "visitor.php"
SENTENCE_END = re.compile(r"(?<=[.?!]) (?=[A-Z])")
SMALL = dict(n_posts=300, n_variants=12, n_visitors=200, days=7)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("readable")
    generate(out, seed=5, **SMALL)
    with (out / "content.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (out / "events.csv").open(newline="", encoding="utf-8") as fh:
        visitors = sorted({e["visitor_id"] for e in csv.DictReader(fh)})
    return out, rows, visitors


def _fill(pattern: str, subject: str) -> str:
    return pattern.format(s=subject, S=subject[0].upper() + subject[1:])


def test_every_post_title_is_a_hand_written_pattern_around_its_topics_subject_and_none_repeats(site):
    _, rows, _ = site
    posts = [r for r in rows if r["type"] == "post"]
    titles = [r["title"] for r in posts]
    assert len(set(titles)) == len(titles) == SMALL["n_posts"]
    # Untagged posts lose their topics column, so check against every topic's titles.
    written = {_fill(p, s) for subjects in SUBJECTS.values() for s in subjects for p in TITLE_PATTERNS}
    unknown = [t for t in titles if re.sub(r" \(part \d+\)$", "", t) not in written]
    assert not unknown, unknown[:5]
    for row in posts:
        if row["topics"]:
            topic = row["topics"].split("|")[0]
            title = row["title"].lower()
            assert any(s.lower() in title for s in SUBJECTS[topic]), row


def test_post_text_is_paragraphs_of_hand_written_sentences_and_the_excerpt_is_its_opening(site):
    out, rows, _ = site
    sentences = {s for topic in SENTENCES.values() for s in topic}
    openers = {_fill(o, s) for o in OPENERS for subjects in SUBJECTS.values() for s in subjects}
    with_text = [r for r in rows if r["type"] == "post" and r["text"]]
    assert len(with_text) > 0.9 * SMALL["n_posts"]
    for row in with_text:
        first, *body, last = row["text"].split("\n\n")
        assert first in openers, first
        assert last in CLOSERS, last
        assert len(body) >= 2
        for paragraph in body:
            # Each hand-written sentence ends with a full stop, so the paragraph splits back into them.
            parts = SENTENCE_END.split(paragraph)
            assert all(p in sentences for p in parts), paragraph
    items, _ = to_domain(out)
    by_id = {i.id: i for i in items}
    for row in with_text:
        text = by_id[row["content_id"]].excerpt
        assert text == excerpt(row["text"]) and text[0].isupper() and text.endswith((".", "?", "!"))
        assert "\n" not in text and 40 < len(text) < 300


def test_posts_on_a_topic_use_its_own_sentences(site):
    _, rows, _ = site
    for row in rows:
        if row["type"] != "post" or not row["text"] or not row["topics"]:
            continue
        topic = row["topics"].split("|")[0]
        first_body_paragraph = row["text"].split("\n\n")[1]
        assert all(s in SENTENCES[topic] for s in SENTENCE_END.split(first_body_paragraph)), row


def test_offers_are_the_hand_written_banners_with_their_copy(site):
    _, rows, _ = site
    variants = [r for r in rows if r["type"] == "variant"]
    assert [(v["title"], v["text"]) for v in variants] == [(o[0], o[3]) for o in OFFERS]
    assert all(v["text"].endswith(".") and len(v["text"].split()) >= 8 for v in variants)


def _plugin_accepts(ids: list[str]) -> list[str]:
    """The plugin's own pertinent_clean_visitor_id(), run by PHP on each id."""
    script = (f"define('ABSPATH', '/'); require {str(VISITOR_PHP)!r}; foreach (array_slice($argv, 1) as $id)"
              " { echo pertinent_clean_visitor_id($id) === $id ? 'ok' : 'no', \"\\n\"; }")
    out = subprocess.run(["php", "-r", script, "--", *ids], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_visitor_ids_are_long_enough_for_the_plugin(site):
    _, _, visitors = site
    assert visitors and all(len(v) >= 8 for v in visitors)
    if shutil.which("php") is None:
        # Without PHP, the plugin's pattern read from its file stands in for the function.
        pattern = re.search(r"preg_match\( '/(.+?)/'", VISITOR_PHP.read_text()).group(1)
        assert all(re.fullmatch(pattern, v) for v in visitors)
        return
    assert _plugin_accepts(["v02061"]) == ["no"]  # the old demo ids: the plugin showed the new-visitor page
    assert set(_plugin_accepts(visitors)) == {"ok"}
