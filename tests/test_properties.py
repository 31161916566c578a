"""Property-based tests (Hypothesis): cleaning, sentence splitting and chunking never raise, and every
span they keep maps back to the original text at its offsets."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_document
from rag.clean import clean
from rag.sentences import split_sentences
from rag.settings import ChunkSettings
from rag.types import Span

# Article-like text: words, punctuation, chrome lines, odd whitespace and any unicode at all.
WORDS = st.sampled_from(
    [
        "Aleppo",
        "rebels",
        "said",
        "on",
        "29",
        "November.",
        "Mr.",
        "U.S.",
        "HTS",
        "“Damascus",
        "is",
        "waiting”",
        "Read also:",
        "Leave a Comment",
        "#Syria",
        "Subscribe now",
        "—",
        "...",
        "?",
        "!",
        "al-Assad",
        "Dr.",
        "3.5",
        "km",
        "(AFP)",
        "\n",
        "\n\n",
        "\t",
        " ",
        "\r\n",
        "\u00a0",
        "\u200b",
    ]
)
TEXT = st.one_of(
    st.lists(WORDS, max_size=300).map(" ".join),
    st.text(max_size=2000),
    st.lists(st.one_of(WORDS, st.text(max_size=20)), max_size=200).map("".join),
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _within(span: Span, text: str) -> bool:
    return 0 <= span.start <= span.end <= len(text)


@FAST
@given(TEXT)
def test_clean_keeps_spans_of_the_original(text):
    spans = clean(text)
    assert all(_within(s, text) and s.end > s.start for s in spans)
    # in order, no overlap
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    # trimmed, nothing invented
    assert all(text[s.start : s.end].strip() == text[s.start : s.end] for s in spans)


@FAST
@given(TEXT)
def test_sentences_stay_inside_their_span(text):
    for para in clean(text) or (Span(0, len(text)),):
        sents = split_sentences(text, para)
        assert all(para.start <= s.start < s.end <= para.end for s in sents)
        assert all(a.end <= b.start for a, b in zip(sents, sents[1:], strict=False))


@FAST
@given(TEXT, st.integers(100, 1200), st.integers(0, 600))
def test_chunks_map_back_to_the_text(text, max_chars, min_chars):
    paragraphs = clean(text)
    chunks = chunk_document(
        "d", text, paragraphs, ChunkSettings(max_chars=max_chars, min_chars=min_chars)
    )
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.sentences and all(c.start <= s.start < s.end <= c.end for s in c.sentences)
    sentence_starts = [s.start for c in chunks for s in c.sentences]
    # every sentence in exactly one chunk, in order
    assert sentence_starts == sorted(set(sentence_starts))
