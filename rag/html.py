"""HTML to text: drop scripts, styles and navigation; keep block structure as line breaks."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

from rag.loaders import iso_date
from rag.types import Metadata

_DROP = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "template",
]
_BLOCK = [
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "figcaption",
    "dd",
    "dt",
    "td",
    "th",
]


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for n in names:
        tag = soup.find("meta", attrs={"property": n}) or soup.find("meta", attrs={"name": n})
        if tag and tag.get("content"):
            return " ".join(str(tag["content"]).split())
    return ""


def extract(html: str) -> tuple[str, Metadata]:
    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    canonical = soup.find("link", rel="canonical")
    meta = Metadata(
        title=_meta(soup, "og:title")
        or (" ".join(title_tag.get_text().split()) if title_tag else ""),
        outlet=_meta(soup, "og:site_name"),
        author=_meta(soup, "author", "article:author"),
        published=iso_date(_meta(soup, "article:published_time", "date", "pubdate")),
        url=_meta(soup, "og:url") or (str(canonical.get("href", "")) if canonical else ""),
    )
    root = soup.find("article") or soup.body or soup
    for tag in root.find_all(_DROP):
        tag.decompose()
    for tag in root.find_all(_BLOCK):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    lines = (" ".join(line.split()) for line in root.get_text("").split("\n"))
    text = "\n\n".join(line for line in lines if line)
    return re.sub(r"\n{3,}", "\n\n", text), meta
