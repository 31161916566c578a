"""An updated wire story is a later version of the story, not a copy and not a second source."""

import json
import re

import pytest

from rag.versions import compare, counterpart

FIRST = """Clashes near Dorvan pass kill 20 fighters, border officials say

DORVAN, March 4 (Northline Wire) - Twenty fighters were killed in clashes near the Dorvan mountain pass on Tuesday, border officials said.

The fighting began before dawn when a convoy of armed men tried to cross the pass towards the market town of Ketsa, according to the regional border service.

Officials said the convoy was stopped at the second checkpoint, about four kilometres below the summit, after a firefight that lasted several hours.

The regional governor, Anton Velikov, called an emergency meeting of the security council and asked residents of Ketsa to stay indoors until further notice.

Traffic on the pass road, the only paved route between the two valleys, was halted in both directions and about 300 trucks were waiting on the southern side by evening.

The border service did not say which group the fighters belonged to and gave no figure for casualties among its own guards.

Residents of Ketsa described hearing heavy gunfire for most of the morning and said shops in the town centre stayed closed.
"""

LATER = (
    FIRST.replace(
        "Clashes near Dorvan pass kill 20 fighters",
        "UPDATE 1-Clashes near Dorvan pass kill 45 fighters",
    )
    .replace("Twenty fighters were killed", "Forty-five fighters were killed")
    .replace(
        "Residents of Ketsa described",
        "Two border guards were also wounded, the service said in a later statement.\n\nResidents of Ketsa described",
    )
)

COPY = "Valley Herald - from the wires\nBy Staff Reporter\n\n" + FIRST.split("\n", 2)[2]


@pytest.fixture
def story(tmp_path):
    d = tmp_path / "wire"
    d.mkdir()
    (d / "dorvan-first.txt").write_text(FIRST, encoding="utf-8")
    manifest = {"dorvan-first.txt": {"outlet": "Northline Wire", "published": "2025-03-04"}}
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return d


def _add(folder, name, text, published="2025-03-04", updated=""):
    (folder / name).write_text(text, encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest[name] = {"outlet": "Northline Wire", "published": published, "updated": updated}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_an_updated_story_is_kept_and_answers_with_the_new_figure(fresh, story):
    a, _, _ = fresh
    a.ingest([story])
    assert "20" in a.ask("How many fighters were killed near the Dorvan pass?").citations[
        0
    ].quote or ("Twenty" in a.ask("How many fighters were killed near the Dorvan pass?").text)
    _add(story, "dorvan-update.txt", LATER, updated="2025-03-05")
    report = a.ingest([story])
    assert report.added == ["dorvan-update.txt"] and not report.skipped
    assert "a version of dorvan-first.txt" in report.revisions["dorvan-update.txt"]
    assert (
        "forty-five" in report.revisions["dorvan-update.txt"].lower()
        or "45" in (report.revisions["dorvan-update.txt"])
    )

    ans = a.ask("How many fighters were killed near the Dorvan pass?")
    assert ans.status == "answered"
    first = ans.citations[0]
    assert first.source == "dorvan-update.txt" and "Forty-five fighters" in first.quote
    assert not first.superseded
    # The earlier figure is shown, cited and marked, never as a second, disagreeing source.
    earlier = [c for c in ans.citations if c.superseded]
    assert len(earlier) == 1 and "Twenty fighters" in earlier[0].quote
    assert earlier[0].source == "dorvan-first.txt"
    assert "Earlier version" in ans.text and not ans.disagreement
    for c in ans.citations:  # every citation still points at its verbatim text
        doc = a.index.registry.document(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote


def test_an_unchanged_sentence_is_answered_once_without_an_earlier_version(fresh, story):
    a, _, _ = fresh
    _add(story, "dorvan-update.txt", LATER, updated="2025-03-05")
    a.ingest([story])
    ans = a.ask("How many trucks were waiting on the southern side of the pass?")
    assert "300 trucks" in ans.text
    assert [c.source for c in ans.citations] == ["dorvan-update.txt"]
    assert "Earlier version" not in ans.text


def test_sources_list_the_versions_of_a_story(fresh, story):
    a, _, _ = fresh
    _add(story, "dorvan-update.txt", LATER, updated="2025-03-05")
    a.ingest([story])
    rows = {r.source: r for r in a.sources()}
    first, later = rows["dorvan-first.txt"], rows["dorvan-update.txt"]
    assert first.story == later.story == first.doc_id
    assert (first.version, first.latest) == (1, False)
    assert (later.version, later.versions, later.latest) == (2, 2, True)
    assert later.updated == "2025-03-05"


def test_the_latest_version_is_the_one_dated_latest_not_the_one_read_last(fresh, story):
    """A backlog ingested newest first still answers from the newest version."""
    a, _, _ = fresh
    (story / "dorvan-first.txt").rename(story / "zz-dorvan-first.txt")
    manifest = {"zz-dorvan-first.txt": {"outlet": "Northline Wire", "published": "2025-03-04"}}
    (story / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _add(story, "aa-dorvan-update.txt", LATER, updated="2025-03-05")
    a.ingest([story])  # files are read in name order: the update first
    ans = a.ask("How many fighters were killed near the Dorvan pass?")
    assert ans.citations[0].source == "aa-dorvan-update.txt"


def test_a_copy_under_another_header_is_skipped_with_a_true_reason(fresh, story):
    a, _, _ = fresh
    (story / "valley-herald.txt").write_text(COPY, encoding="utf-8")
    report = a.ingest([story])
    ((source, reason),) = report.skipped
    assert source == "valley-herald.txt"
    assert reason.startswith("a copy of dorvan-first.txt") and "not a second source" in reason
    assert "no new figures or names" in reason


def test_a_revision_is_told_from_a_copy_by_what_it_states():
    from rag.ingest import prepare
    from rag.loaders import Record
    from rag.settings import Settings
    from rag.types import Metadata

    def doc(text):
        return prepare(Record("o", "s", "p", text, Metadata()), Settings())[0]

    assert compare(doc(FIRST), doc(LATER)).revision
    assert not compare(doc(FIRST), doc(COPY)).revision
    reworded = FIRST.replace("said on Tuesday", "said Tuesday").replace(
        "Tuesday, border", "Tuesday, the border"
    )
    assert not compare(doc(FIRST), doc(reworded)).revision
    span = counterpart(
        "Forty-five fighters were killed in clashes near the Dorvan mountain pass on Tuesday, border officials said.",
        doc(FIRST),
    )
    assert span is not None and "Twenty fighters" in FIRST[span.start : span.end]


def test_a_figure_a_later_version_corrected_stays_corrected_when_the_next_drops_it(fresh, story):
    """v1 says twenty, v2 corrects it to forty-five, v3 drops the sentence for a new development:
    v1's figure never comes back as the answer."""
    a, _, _ = fresh
    a.ingest([story])
    _add(story, "dorvan-2.txt", LATER, updated="2025-03-05")
    a.ingest([story])
    third = re.sub(
        r"DORVAN, March 4 \(Northline Wire\) - Forty-five fighters were killed[^\n]*\n",
        "DORVAN, March 6 (Northline Wire) - The Dorvan pass road reopened to traffic on Thursday morning, the regional border service said.\n",
        LATER,
    ).replace(
        "UPDATE 1-Clashes near Dorvan pass kill 45 fighters, border officials say",
        "UPDATE 2-Dorvan pass road reopens after clashes",
    )
    assert "Forty-five" not in third
    _add(story, "dorvan-3.txt", third, updated="2025-03-06")
    a.ingest([story])
    for q in (
        "How many fighters were killed near the Dorvan pass?",
        "Did twenty fighters die in the Dorvan clashes?",
    ):
        ans = a.ask(q)
        current = [c.quote for c in ans.citations if not c.superseded]
        assert not any("Twenty fighters" in quote for quote in current), ans.text


def test_an_undated_update_read_later_is_the_latest_version(fresh, story):
    """Without a date on every version, the one ingested last is the latest."""
    a, _, _ = fresh
    a.ingest([story])
    (story / "dorvan-update.txt").write_text(LATER, encoding="utf-8")  # no manifest entry: no date
    a.ingest([story])
    rows = {r.source: r for r in a.sources()}
    assert rows["dorvan-update.txt"].latest and not rows["dorvan-first.txt"].latest


def test_a_file_edited_into_a_copy_no_longer_answers_with_what_it_said(fresh, story):
    a, _, _ = fresh
    _add(story, "dorvan-update.txt", LATER, updated="2025-03-05")
    a.ingest([story])
    (story / "dorvan-update.txt").write_text(COPY, encoding="utf-8")
    report = a.ingest([story])
    assert report.removed == ["dorvan-update.txt"]
    assert "dorvan-update.txt" not in {r.source for r in a.sources()}
    assert "Forty-five" not in a.ask("How many fighters were killed near the Dorvan pass?").text
