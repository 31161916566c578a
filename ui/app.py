"""The browser app (Gradio): a chat whose every answer shows its evidence, and a document library.

Built around one open ``Assistant``; the HTTP server mounts it at ``/`` (see ``ui.server``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import gradio as gr

from rag.assistant import Assistant
from rag.errors import RagError
from rag.loaders import SUFFIXES
from rag.question import DATE, analyze
from rag.types import Answer, DocumentInfo, Turn
from rag.web import is_url
from ui import render

STATIC = Path(__file__).parent / "static"

# Shown on first load when the bundled articles are in the index.
BUNDLED_EXAMPLES = (
    "When did the rebels enter Aleppo?",
    "Who leads Hayat Tahrir al-Sham?",
    "Which cities did the rebels capture before Damascus?",
    "What did Russia do after the rebels entered Aleppo?",
)

_UPLOAD_TYPES = sorted(SUFFIXES - {".markdown"})
_DOC_HEADERS = ["Title", "Outlet", "Date", "Version", "Chunks", "File", "ID"]
_RESULT_HEADERS = ["File", "Result", "Detail"]


def theme() -> gr.themes.Base:
    """The default look with system fonts: the page never asks a font CDN for anything."""
    return gr.themes.Soft(
        font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def css() -> str:
    return (STATIC / "app.css").read_text(encoding="utf-8")


def head() -> str:
    return "<script>" + (STATIC / "app.js").read_text(encoding="utf-8") + "</script>"


def _has_bundled(assistant: Assistant) -> bool:
    corpus = Path(assistant.settings.corpus_dir).resolve()
    return any(Path(d.path).resolve().parent == corpus for d in assistant.sources())


LIBRARY_ROWS = 200  # rows the Library table shows at once


def _version_label(d: DocumentInfo) -> str:
    """'' for a story with one version; '2 of 3' or '1 of 3 (superseded)' otherwise."""
    if d.versions < 2:
        return ""
    return f"{d.version} of {d.versions}" + ("" if d.latest else " (superseded)")


class ChatApp:
    """Event handlers, kept apart from layout so each is a plain method over the assistant."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant

    # -- chat -----------------------------------------------------------------------------------
    def respond(self, message: str, history: list[dict], turns: list[dict]):
        """Stream one answer into the chat; when it is complete, link its markers and fill the evidence panel.

        Yields (textbox, chatbot, turns, sources panel)."""
        message = (message or "").strip()
        if not message:
            yield gr.skip(), history, turns, gr.skip()
            return
        turn = (turns[-1]["turn"] + 1) if turns else 1
        history = [
            *history,
            {"role": "user", "content": render.question_html(message)},
            {"role": "assistant", "content": render.pending_html("…")},
        ]
        yield "", history, turns, gr.skip()
        try:
            history_turns = [
                Turn(t["question"], t["answer"].text, t["answer"].standalone_question)
                for t in turns
            ]
            stream = self.assistant.stream(message, history_turns)
            text = ""
            for piece in stream:
                text += piece
                history[-1] = {"role": "assistant", "content": render.pending_html(text)}
                yield gr.skip(), history, turns, gr.skip()
            answer = stream.answer
        except RagError as e:  # a question we cannot use: say why, keep the conversation going
            history[-1] = {"role": "assistant", "content": render.error_html(str(e))}
            yield gr.skip(), history, turns, gr.skip()
            return
        passages = [self.assistant.passage(c) for c in answer.citations]
        turns = [
            *turns,
            {"turn": turn, "question": message, "answer": answer, "passages": passages},
        ]
        link = self._timeline_link(answer)
        history[-1] = {"role": "assistant", "content": render.message_html(answer, turn, link)}
        yield gr.skip(), history, turns, render.sources_html(turns)

    def _timeline_link(self, answer: Answer) -> tuple[str, int] | None:
        """For a when / what-happened question that was answered: the name in it whose dated events
        make a sequence (at least two), and how many; the chat links to the timeline filtered on it."""
        question = answer.standalone_question or answer.question
        if answer.abstained:
            return None
        try:
            q = analyze(question, self.assistant.settings.max_question_chars)
        except RagError:
            return None
        if q.kind != DATE and not re.search(r"\bwhat happened\b", question, re.I):
            return None
        best = None
        for name in (" ".join(e) for e in q.entities):
            n = len(self.assistant.timeline(name))
            if n >= 2 and (best is None or n < best[1]):
                best = (name, n)
        return best

    def respond_example(self, history: list[dict], turns: list[dict], evt: gr.SelectData):
        value = evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value or "")
        yield from self.respond(value, history, turns)

    @staticmethod
    def clear():
        return [], [], render.sources_html([])

    # -- library --------------------------------------------------------------------------------
    def _matching(self, query: str = "") -> tuple[list[DocumentInfo], int]:
        """Documents whose title, outlet, author, file or id contain ``query`` (any case), at most
        LIBRARY_ROWS of them, and how many matched in all. A 10 000-article archive is found by
        searching on the server, not by shipping every row to the browser."""
        docs = self.assistant.sources()
        q = (query or "").strip().casefold()
        if q:
            docs = [
                d
                for d in docs
                if any(
                    q in field.casefold()
                    for field in (d.title, d.outlet, d.author, d.source, d.doc_id)
                )
            ]
        return docs[:LIBRARY_ROWS], len(docs)

    def _stats(self, shown: int, matched: int, query: str) -> str:
        docs, chunks = self.assistant.index.count()
        line = f"**{docs}** articles, **{chunks}** passages in the index."
        if query.strip():
            line += f" {matched} match “{html.escape(query.strip())}”."
        if shown < matched:
            line += f" Showing the first {shown}; use Find to narrow them down."
        return line

    def library(self, query: str = ""):
        """(stats, documents table, delete choices): what the Library shows right now."""
        docs, matched = self._matching(query)
        rows = [
            [
                d.title,
                d.outlet or d.author,
                d.published,
                _version_label(d),
                d.chunks,
                d.source,
                d.doc_id,
            ]
            for d in docs
        ]
        choices = [(f"{d.title[:80]} — {d.source}", d.doc_id) for d in docs]
        return (
            self._stats(len(docs), matched, query or ""),
            rows,
            gr.Dropdown(choices=choices, value=None),
        )

    def upload(self, files: list[str] | None, query: str = "", progress=gr.Progress()):  # noqa: B008 - Gradio injects it
        """Ingest uploaded files through the same path as `rag ingest`; one result row per file."""
        if not files:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), None
        progress(0, desc="Reading files")
        streams = []
        try:
            for path in files:
                streams.append((Path(path).name, open(path, "rb")))  # noqa: SIM115 - closed below
            report, rows = self.assistant.add_uploads(
                streams,
                progress=lambda done, total, name: progress(done / total, desc=f"Ingested {name}"),
            )
        except RagError as e:
            return (
                gr.skip(),
                gr.skip(),
                gr.skip(),
                [[Path(p).name, "failed", str(e)] for p in files],
                None,
            )
        finally:
            for _, fh in streams:
                fh.close()
        stats, docs, choices = self.library(query)
        results = [[r.source, r.status, r.detail] for r in rows]
        gr.Info(
            report.summary() if report.added or report.updated else "No new articles were added."
        )
        return stats, docs, choices, results, None

    def add_url(self, url: str | None, query: str = ""):
        """Fetch a web page, PDF or feed (every item) and ingest it, like `rag ingest URL`."""
        url = (url or "").strip()
        if not is_url(url):
            gr.Warning("Enter a web address starting with http:// or https://")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            report = self.assistant.ingest([url])
        except RagError as e:
            return gr.skip(), gr.skip(), gr.skip(), [[url, "failed", str(e)]], gr.skip()
        stats, docs, choices = self.library(query)
        results = [[r.source, r.status, r.detail] for r in report.rows()]
        gr.Info(
            report.summary() if report.added or report.updated else "No new articles were added."
        )
        return stats, docs, choices, results, ""

    def delete(self, doc_id: str | None, query: str = ""):
        if not doc_id:
            gr.Warning("Choose a document to delete first.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            ok = self.assistant.delete(doc_id)
        except RagError as e:
            gr.Warning(str(e))
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        stats, docs, choices = self.library(query)
        note = f"Deleted document `{doc_id}`." if ok else f"Document `{doc_id}` was already gone."
        return stats, docs, choices, note

    # -- timeline -------------------------------------------------------------------------------
    def timeline(self, query: str = "", start: str = "", end: str = ""):
        """The Timeline tab's HTML for a query and a date range (a message for a bad date)."""
        try:
            events = self.assistant.timeline(
                query.strip() or None, start.strip() or None, end.strip() or None
            )
        except RagError as e:
            return render.error_html(str(e))
        return render.timeline_html(events)


def build(assistant: Assistant) -> gr.Blocks:
    app = ChatApp(assistant)
    examples = [{"text": q} for q in BUNDLED_EXAMPLES] if _has_bundled(assistant) else None
    with gr.Blocks(title="newsrag") as demo:
        how = (
            "Every sentence is a quote, and every quote is shown in its paragraph."
            if assistant.settings.llm == "none"
            else f"Answers are written by {assistant.settings.llm}; every sentence is checked against the passage it cites."
        )
        gr.Markdown(f"## newsrag\nAnswers only from the articles in the library. {how}")
        turns = gr.State([])
        with gr.Tab("Chat", id="chat"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        elem_id="rag-chat",
                        height=560,
                        examples=examples,
                        placeholder="Ask about the articles in the library. Answers quote them; nothing else.",
                        sanitize_html=True,
                        allow_tags=False,
                        latex_delimiters=[],
                        buttons=[],
                        feedback_options=None,
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask a question…",
                            show_label=False,
                            scale=6,
                            elem_id="rag-question",
                            max_lines=4,
                            submit_btn=False,
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="rag-ask")
                    clear = gr.Button("New conversation", size="sm", variant="secondary")
                with gr.Column(scale=2):
                    gr.Markdown("### Evidence")
                    sources = gr.HTML(render.sources_html([]), elem_id="rag-sources")
        with gr.Tab("Library", id="library") as lib_tab:
            stats = gr.Markdown(elem_id="rag-stats")
            find = gr.Textbox(
                placeholder="Find by title, outlet, author, file or id…",
                show_label=False,
                elem_id="rag-find",
                max_lines=1,
                submit_btn=False,
            )
            docs = gr.Dataframe(
                headers=_DOC_HEADERS,
                interactive=False,
                wrap=True,
                elem_id="rag-docs",
                label="Documents",
                column_widths=["36%", "13%", "9%", "9%", "6%", "16%", "11%"],
            )
            with gr.Row():
                with gr.Column():
                    upload = gr.File(
                        label=f"Add articles ({', '.join(_UPLOAD_TYPES)})",
                        file_count="multiple",
                        file_types=_UPLOAD_TYPES,
                        elem_id="rag-upload",
                    )
                    url_box = gr.Textbox(
                        label="…or add from a web address (an article page, a PDF, or an RSS/Atom feed)",
                        placeholder="https://example.com/news/article.html",
                        elem_id="rag-url",
                        max_lines=1,
                        submit_btn="Add",
                    )
                    results = gr.Dataframe(
                        headers=_RESULT_HEADERS,
                        interactive=False,
                        wrap=True,
                        label="Upload results",
                        elem_id="rag-results",
                    )
                with gr.Column():
                    doomed = gr.Dropdown(
                        label="Document to delete", choices=[], elem_id="rag-delete-choice"
                    )
                    delete = gr.Button("Delete document", variant="stop", elem_id="rag-delete")
                    deleted = gr.Markdown(elem_id="rag-deleted")

        with gr.Tab("Timeline", id="timeline") as tl_tab:
            with gr.Row():
                tl_query = gr.Textbox(
                    placeholder="Only events about… (e.g. Aleppo)",
                    show_label=False,
                    scale=4,
                    elem_id="rag-tl-query",
                    max_lines=1,
                    submit_btn=False,
                )
                tl_start = gr.Textbox(
                    placeholder="from YYYY-MM-DD", show_label=False, scale=1, elem_id="rag-tl-from"
                )
                tl_end = gr.Textbox(
                    placeholder="to YYYY-MM-DD", show_label=False, scale=1, elem_id="rag-tl-to"
                )
                tl_show = gr.Button("Show", variant="primary", scale=1, elem_id="rag-tl-show")
            tl_html = gr.HTML(elem_id="rag-timeline")

        ask_io = dict(
            inputs=[box, chatbot, turns],
            outputs=[box, chatbot, turns, sources],
            concurrency_limit=4,
        )
        box.submit(app.respond, **ask_io)
        send.click(app.respond, **ask_io)
        chatbot.example_select(
            app.respond_example, inputs=[chatbot, turns], outputs=[box, chatbot, turns, sources]
        )
        clear.click(app.clear, outputs=[chatbot, turns, sources])
        chatbot.clear(app.clear, outputs=[chatbot, turns, sources])
        lib_tab.select(app.library, inputs=[find], outputs=[stats, docs, doomed])
        tl_io = dict(inputs=[tl_query, tl_start, tl_end], outputs=[tl_html])
        tl_tab.select(app.timeline, **tl_io)
        # drawn once when the page opens, so the tab shows it at once (the select above refreshes it)
        demo.load(app.timeline, outputs=[tl_html])
        tl_show.click(app.timeline, **tl_io)
        for box_ in (tl_query, tl_start, tl_end):
            box_.submit(app.timeline, **tl_io)
        find.submit(app.library, inputs=[find], outputs=[stats, docs, doomed])
        upload.upload(
            app.upload,
            inputs=[upload, find],
            outputs=[stats, docs, doomed, results, upload],
            concurrency_limit=1,
        )
        url_box.submit(
            app.add_url,
            inputs=[url_box, find],
            outputs=[stats, docs, doomed, results, url_box],
            concurrency_limit=1,
        )
        delete.click(
            app.delete,
            inputs=[doomed, find],
            outputs=[stats, docs, doomed, deleted],
            concurrency_limit=1,
        )
    return demo
