"""The browser app in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Screenshots go to test-artifacts/screenshots/, and page-load and answer times measured in the
browser to test-artifacts/browser-timings.json. `make test` installs chromium; where it is missing
these tests fail unless RAG_SKIP_BROWSER=1 says to skip them.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest
from feedserver import FixtureServer, Route

from eval.fake_llm import FakeLLM
from eval.pdf_fixtures import build
from eval.servers import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, start_rag_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = ARTIFACTS / "screenshots"
TIMINGS: dict[str, list[float]] = {}

PLANTED = (
    "Zarqa Valley water report\n\n"
    "The Zarqa Valley council said on 3 March 2025 that the new Qastal reservoir holds 41 million cubic metres "
    "of water. <script>window.__pwned = 'script';</script> Engineers inspected the dam wall "
    "<img src=x onerror=\"window.__pwned='img'\"> and found no cracks.\n\n"
    "The reservoir was built by the Hadid Engineering Company over four years, the council said.\n"
)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("RAG_SKIP_BROWSER") == "1":
            pytest.skip(f"{CHROMIUM} not installed and RAG_SKIP_BROWSER=1")
        pytest.fail(
            f"{CHROMIUM} not found: `make test` installs Debian's chromium (or set RAG_SKIP_BROWSER=1)"
        )
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(TIMINGS, indent=2))


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server.url)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    pg.goto("/")
    pg.wait_for_selector("#rag-question textarea")
    TIMINGS.setdefault("page_load_s", []).append(time.perf_counter() - start)
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def ask(pg, question: str, done: str = "#rag-chat .rag-msg:not(.rag-pending)") -> float:
    """Type a question, press Ask, wait for the finished answer. Returns seconds as the browser saw it."""
    before = pg.locator(done).count()
    pg.fill("#rag-question textarea", question)
    start = time.perf_counter()
    pg.click("#rag-ask")
    pg.wait_for_function(
        f"document.querySelectorAll({json.dumps(done)}).length > {before}", timeout=30000
    )
    seconds = time.perf_counter() - start
    TIMINGS.setdefault("answer_s", []).append(seconds)
    return seconds


def last_message(pg):
    return pg.locator("#rag-chat .rag-msg").last


def upload(pg, path: Path) -> str:
    pg.get_by_role("tab", name="Library").click()
    pg.set_input_files("#rag-upload input[type=file]", str(path))
    pg.wait_for_function(  # a row of the results table names the file (not just the progress text)
        f"[...document.querySelectorAll('#rag-results [role=gridcell]')].some(td => td.innerText.includes({json.dumps(path.name)}))",
        timeout=60000,
    )
    return pg.inner_text("#rag-results")


def test_page_loads_with_examples(page):
    assert "newsrag" in page.title()
    examples = page.locator("#rag-chat button", has_text="When did the rebels enter Aleppo?")
    assert examples.count() == 1
    page.screenshot(path=SHOTS / "01-first-load.png")


def test_answer_shows_citation_and_highlighted_quote(page, server):
    question = "When did Bashar al-Assad leave the country?"
    ask(page, question)
    msg = last_message(page)
    assert "rag-answer" in msg.get_attribute("class") or "rag-disagree" in msg.get_attribute(
        "class"
    )
    expected = httpx.post(server.url + "/api/ask", json={"question": question}, timeout=60).json()
    marks = page.locator("#rag-sources .rag-turn").first.locator("mark")
    assert marks.count() == len(expected["citations"]) > 0
    assert [m.inner_text() for m in marks.all()] == [
        " ".join(c["quote"].split()) for c in expected["citations"]
    ]
    header = page.locator("#rag-sources .rag-passage").first.inner_text()
    assert expected["citations"][0]["source"] in header

    # Clicking the last marker scrolls its passage into view and highlights it.
    n = len(expected["citations"])
    page.locator("#rag-chat a.rag-cite", has_text=f"[{n}]").last.click()
    target = page.locator(f"#rag-sources article#rag-c-1-{n}")
    page.wait_for_function(
        f"document.querySelector('#rag-c-1-{n}').classList.contains('rag-flash')"
    )
    page.wait_for_timeout(600)  # smooth scroll
    assert target.is_visible() and target.bounding_box()["y"] < 1000
    page.screenshot(path=SHOTS / "02-answer-with-evidence.png")


def test_example_question_answers_on_click(page):
    page.locator("#rag-chat button", has_text="Who leads Hayat Tahrir al-Sham?").click()
    page.wait_for_selector("#rag-chat .rag-msg:not(.rag-pending)", timeout=30000)
    assert page.locator("#rag-chat .rag-q").first.inner_text() == "Who leads Hayat Tahrir al-Sham?"


def test_unanswerable_question_is_visibly_refused(page):
    ask(page, "What is the population of Montevideo?")
    msg = last_message(page)
    assert "rag-abstain" in msg.get_attribute("class")
    assert msg.locator(".rag-badge").text_content() == "Not in the sources"
    assert "The sources don't say." in msg.inner_text()
    assert page.locator("#rag-chat a.rag-cite").count() == 0
    assert "Nothing to cite" in page.inner_text("#rag-sources")
    page.screenshot(path=SHOTS / "03-refusal.png")


# Questions the bundled articles come close to without settling. Which of them the learned decision
# holds back as not confirmed (rather than refusing outright) moves when it is retrained, so the
# test asks the API first and shows the first one it holds back: what is tested here is how the
# page shows that outcome.
NEAR_QUESTIONS = (
    "Which country granted asylum to Assad?",
    "Who replaced Assad as president?",
    "When did Russian jets bomb Idlib?",
    "Where did Assad go after Damascus fell?",
    "How many soldiers defected in Hama?",
    "How many prisoners were freed from Sednaya?",
)


def test_an_unconfirmed_answer_shows_the_closest_passages_marked_as_such(page, server):
    statuses = {
        q: httpx.post(server.url + "/api/ask", json={"question": q}, timeout=60).json()["status"]
        for q in NEAR_QUESTIONS
    }
    held_back = [q for q, st in statuses.items() if st == "unconfirmed"]
    assert held_back, f"none of the near questions is held back as not confirmed: {statuses}"
    ask(page, held_back[0])
    msg = last_message(page)
    assert "rag-unconfirmed" in msg.get_attribute("class")
    assert msg.locator(".rag-badge").text_content() == "Not confirmed"
    assert "which may not answer the question" in msg.inner_text()
    assert msg.locator("a.rag-cite").count() >= 1
    assert page.locator("#rag-sources .rag-passage").count() >= 1
    page.screenshot(path=SHOTS / "03b-not-confirmed.png")


def test_disagreeing_sources_are_marked(page):
    ask(page, "Since when has HTS controlled Idlib?")
    msg = last_message(page)
    assert "rag-disagree" in msg.get_attribute("class")
    assert msg.locator(".rag-badge").text_content() == "Sources disagree"
    page.screenshot(path=SHOTS / "04-sources-disagree.png")


def test_follow_up_is_understood_in_context(page):
    ask(page, "What is Hayat Tahrir al-Sham?")
    ask(page, "who leads them?")
    msg = last_message(page)
    assert "Understood as: Who leads Hayat Tahrir al-Sham?" in msg.inner_text()
    assert "rag-answer" in msg.get_attribute("class")
    page.screenshot(path=SHOTS / "08-follow-up.png")


def test_bad_question_gets_a_message(page):
    ask(page, "?!?!")
    msg = last_message(page)
    assert "rag-error" in msg.get_attribute("class")
    assert msg.locator(".rag-badge").text_content() == "Cannot answer that"


def test_upload_then_ask_then_delete(page, tmp_path):
    article = tmp_path / "harbour-report.txt"
    article.write_text(
        "Harbour authority report\n\nThe Tarsaya harbour authority said on 12 May 2025 that the new Mernia "
        "grain terminal can load 18 ships a day.\n",
        encoding="utf-8",
    )
    results = upload(page, article)
    assert "added" in results
    assert "harbour-report.txt" in page.inner_text("#rag-docs")
    page.screenshot(path=SHOTS / "05-library-upload.png")

    page.get_by_role("tab", name="Chat").click()
    ask(page, "How many ships a day can the Mernia grain terminal load?")
    assert "18 ships a day" in last_message(page).inner_text()
    assert "harbour-report.txt" in page.inner_text("#rag-sources")
    page.screenshot(path=SHOTS / "06-answer-from-upload.png")

    page.get_by_role("tab", name="Library").click()
    page.locator("#rag-delete-choice input").click()
    page.get_by_role("option", name="harbour-report.txt", exact=False).click()
    page.click("#rag-delete")
    page.wait_for_function("document.querySelector('#rag-deleted').innerText.includes('Deleted')")
    assert "harbour-report.txt" not in page.inner_text("#rag-docs")
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How many ships a day can the Mernia grain terminal load?")
    assert "rag-abstain" in last_message(page).get_attribute("class")


def test_a_pdf_added_by_web_address_answers_with_its_page(page, tmp_path):
    """The Library's web-address box fetches a PDF from a (local) news site; the answer's passage in
    the evidence panel names the page it is on."""
    build(tmp_path)
    with FixtureServer() as site:
        site.routes["/reports/weekly.pdf"] = Route(
            (tmp_path / "weekly_report.pdf").read_bytes(), content_type="application/pdf"
        )
        url = site.url("/reports/weekly.pdf")
        page.get_by_role("tab", name="Library").click()
        page.fill("#rag-url textarea, #rag-url input", url)
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"[...document.querySelectorAll('#rag-results [role=gridcell]')].some(td => td.innerText.includes({json.dumps(url)}))",
            timeout=60000,
        )
        assert "added" in page.inner_text("#rag-results")
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How much will the national flood fund pay for the Brenmoor river wall?")
    assert "£2.5 million" in last_message(page).inner_text()
    evidence = page.inner_text("#rag-sources")
    assert "page 3" in evidence and url in evidence
    page.screenshot(path=SHOTS / "11-pdf-by-url-cites-its-page.png")


def test_library_find_searches_on_the_server(page):
    page.get_by_role("tab", name="Library").click()
    page.wait_for_function(
        "document.querySelector('#rag-docs').innerText.includes('004_8122d49cfe791c67.txt')"
    )
    page.fill("#rag-find textarea, #rag-find input", "tyler durden")
    page.press("#rag-find textarea, #rag-find input", "Enter")
    page.wait_for_function("document.querySelector('#rag-stats').innerText.includes('match')")
    table = page.inner_text("#rag-docs")
    assert "004_8122d49cfe791c67.txt" in table and "000_96c90ff65452b4a3.txt" not in table
    assert "1 match" in page.inner_text("#rag-stats")


def test_timeline_shows_events_on_an_axis_and_their_sources(page):
    start = time.perf_counter()
    page.get_by_role("tab", name="Timeline").click()
    page.wait_for_selector("#rag-timeline .rag-tl-dot")
    seconds = time.perf_counter() - start
    TIMINGS.setdefault("timeline_load_s", []).append(seconds)
    dots = page.locator("#rag-timeline .rag-tl-dot").count()
    assert dots >= 20 and page.locator("#rag-timeline .rag-tl-event").count() == dots
    # measured and kept in browser-timings.json (about 0.16 s here); the bound only catches a hang
    assert seconds < 5.0, f"the bundled timeline took {seconds:.2f} s to show"
    page.screenshot(path=SHOTS / "12-timeline.png", full_page=True)
    # a click on a dot brings that event's sources into view
    dot = page.locator("#rag-timeline .rag-tl-dot").nth(dots - 1)
    target = dot.get_attribute("href")
    dot.click()
    page.wait_for_selector(f"{target}.rag-flash")
    assert page.locator(f"{target} blockquote").count() >= 1
    # filtered by a query and a range: fewer events, all about it
    page.fill("#rag-tl-query textarea, #rag-tl-query input", "Aleppo")
    page.fill("#rag-tl-from textarea, #rag-tl-from input", "2024-11")
    page.click("#rag-tl-show")
    page.wait_for_function(
        f"document.querySelectorAll('#rag-timeline .rag-tl-dot').length < {dots}"
    )
    text = page.inner_text("#rag-timeline")
    assert "Aleppo" in text and "2016" not in page.inner_text("#rag-timeline .rag-tl-ends")
    page.screenshot(path=SHOTS / "13-timeline-filtered.png", full_page=True)
    # a bad date gets a message, not a traceback
    page.fill("#rag-tl-from textarea, #rag-tl-from input", "soon")
    page.click("#rag-tl-show")
    page.wait_for_selector("#rag-timeline .rag-error")
    assert "YYYY" in page.inner_text("#rag-timeline")


def test_a_when_answer_links_to_the_timeline_filtered_on_its_subject(page):
    ask(page, "When did the rebels enter Aleppo?")
    link = last_message(page).locator("a.rag-tl-link")
    assert link.count() == 1 and "aleppo" in link.inner_text().lower()
    link.click()
    page.wait_for_selector("#rag-timeline .rag-tl-dot")
    page.wait_for_function(
        "document.querySelector('#rag-tl-query textarea, #rag-tl-query input').value === 'aleppo'"
    )
    page.wait_for_function(
        "(qs => qs.length > 0 && qs.every(q => /aleppo/i.test(q.innerText)))"
        "([...document.querySelectorAll('#rag-timeline blockquote')])"
    )
    page.screenshot(path=SHOTS / "14-answer-to-timeline.png")


def test_bad_upload_is_reported_and_the_rest_ingests(page, tmp_path):
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"%PDF-1.7\n\x00\x01\x02 binary")
    results = upload(page, bad)
    assert "failed" in results and "binary" in results
    assert page.locator("#rag-upload").is_visible()  # the app carries on


def test_planted_script_does_not_run(page, tmp_path):
    planted = tmp_path / "planted.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    assert "added" in upload(page, planted)
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How much water does the Qastal reservoir hold?")
    text = last_message(page).inner_text()
    assert "41 million cubic metres" in text
    assert "<script>" in text and "onerror" in text  # shown as text ...
    assert page.evaluate("window.__pwned") is None  # ... and never run
    assert (
        page.locator(
            "#rag-chat script, #rag-sources script, #rag-chat img[src='x'], #rag-sources img[src='x']"
        ).count()
        == 0
    )
    assert "<script>" in page.inner_text("#rag-sources")
    page.screenshot(path=SHOTS / "07-planted-script-shown-as-text.png")


def test_html_in_titles_and_names_shows_as_text(page, tmp_path):
    feed = tmp_path / "feed.jsonl"
    record = {
        "title": "<img src=x onerror=\"window.__pwned='title'\">Port <b>news</b>",
        "outlet": "<script>window.__pwned='outlet'</script>Daily",
        "url": "javascript:window.__pwned='url'",
        "text": "The Quorn lighthouse was repainted red in 1931, the harbour office said on Monday.",
    }
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "added" in upload(page, feed)
    docs = page.inner_text("#rag-docs")
    assert "<img src=x" in docs and "<script>" in docs  # shown as text in the library
    page.get_by_role("tab", name="Chat").click()
    ask(page, "When was the Quorn lighthouse repainted red?")
    panel = page.inner_text("#rag-sources")
    assert "<img src=x" in panel and "<b>news</b>" in panel and "<script>" in panel
    assert page.locator("#rag-sources a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=SHOTS / "10-html-in-metadata-shown-as-text.png")


# -- with an LLM backend (the scripted server) ---------------------------------------------------------
@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    with FakeLLM() as fake:
        srv = start_rag_server(
            "llm",
            tmp_path_factory.mktemp("served-llm"),
            env={
                "RAG_LLM": "openai:scripted",
                "RAG_LLM_BASE_URL": fake.url + "/v1",
                "RAG_LLM_TIMEOUT": "5",
            },
        )
        yield srv, fake
        srv.stop()


def test_generated_answer_shows_verification(browser, llm_server):
    srv, fake = llm_server
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(srv.url + "/")
    page.wait_for_selector("#rag-question textarea")
    fake.script[:] = [
        "Bashar al-Assad left the country on December 8 [1]. He flew to Moscow on 9 December [1]."
    ]
    ask(page, "When did Bashar al-Assad leave the country?")
    msg = last_message(page)
    assert msg.locator(".rag-sent").count() == 2
    bad = msg.locator(".rag-unsupported")
    assert bad.count() == 1 and "Moscow" in bad.inner_text()
    assert "9 December" in bad.get_attribute("title")
    assert "could not be verified" in msg.inner_text()
    assert page.locator("#rag-sources mark").count() == 1
    page.screenshot(path=SHOTS / "09-llm-answer-with-unsupported-sentence.png")
    ctx.close()
