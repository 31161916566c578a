"""Web pages to articles: the main text and the page's own metadata.

The main text comes from trafilatura (the field's extractor: it finds the article among menus, comment
threads and related-story lists by the page's structure, which line rules cannot see). The text it
returns is the document's text: citations index it. Our own rules remain for what they measurably do
better on the fixture pages of ``eval/pages`` (``python -m eval.extraction``): a page trafilatura
returns nothing for is read by ``extract_by_rules``, and ``rag.clean`` drops the chrome lines both
let through ("Read also:", hashtag lines, newsletter boxes).
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, NavigableString

from rag.errors import IngestError
from rag.types import Metadata, iso_date

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


def extract_by_rules(html: str, url: str = "") -> tuple[str, Metadata]:
    """Our own rules (the first HTML reader): drop scripts, styles, navigation, header, footer and
    asides; keep block structure as line breaks; metadata from OpenGraph and <meta> tags only."""
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


def extract(html: str, url: str = "") -> tuple[str, Metadata]:
    """(article text, metadata) of a web page. ``url``: where it was fetched from, if known.
    IngestError when the markup cannot be read at all."""
    try:
        return _extract(html, url)
    except IngestError:
        raise
    except (Exception, RecursionError) as e:  # parsers fail on hostile markup in their own ways
        raise IngestError(f"unreadable HTML ({type(e).__name__}: {str(e)[:120]})") from e


def _extract(html: str, url: str) -> tuple[str, Metadata]:
    ruled_text, ruled = extract_by_rules(html, url)
    if not ruled_text.strip():
        # Nothing outside navigation, header, footer and asides: no article. trafilatura would
        # fall back to the menus' text.
        return "", ruled
    found = _trafilatura(html, url)
    if found is None or not (found.text or "").strip():
        return ruled_text, ruled
    text = "\n\n".join(line.strip() for line in found.text.split("\n") if line.strip())
    published = iso_date(found.date) or ruled.published
    stated = _stated(html)
    title = " ".join((found.title or "").split()) or ruled.title
    sitename = " ".join((found.sitename or "").split())
    meta = Metadata(
        title=title,
        # The publisher a page names in its structured data is its full name; og:site_name is often
        # a short form, and trafilatura falls back to the host name.
        outlet=stated.get("publisher")
        or ruled.outlet
        or (sitename if not _HOSTNAME.fullmatch(sitename) else "")
        or _title_suffix(stated.get("title", ""), title)
        or sitename,
        author=_people(found.author or "") or ruled.author or stated.get("author", ""),
        published=published,
        url=found.url or ruled.url or url,
        updated=_later(stated.get("modified", ""), published) or _updated(html, url, published),
        language=_language(html),
    )
    return text, meta


_HOSTNAME = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.IGNORECASE)
# A byline's job title, not a name: "Eleanor Voss; Arts Correspondent".
_ROLE = re.compile(
    r"\b(correspondent|reporter|editor|writer|staff|contributor|columnist|desk|journalist|"
    r"producer|analyst|critic|photographer|bureau|chief)s?\b",
    re.IGNORECASE,
)


def _people(author: str) -> str:
    parts = [" ".join(p.split()) for p in re.split(r";", author)]
    return "; ".join(p for p in parts if p and not _ROLE.search(p))


def _later(date: str, published: str) -> str:
    d = iso_date(date)
    return d if d and d != published else ""


def _title_suffix(page_title: str, headline: str) -> str:
    """'Headline – Site Name' in <title>: the site name, when the rest is the headline."""
    for sep in (" | ", " – ", " — ", " - ", " :: "):
        head, _, tail = page_title.rpartition(sep)
        if head and tail and _norm(head) == _norm(headline) and len(tail.split()) <= 6:
            return tail.strip()
    return ""


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _stated(html: str) -> dict[str, str]:
    """What the page states about itself in structured data: JSON-LD (NewsArticle and kin) and
    <meta>/<time> markup; trafilatura reads most of it but not the modified date or the publisher's
    full name."""
    soup = BeautifulSoup(html, "html.parser")
    out: dict[str, str] = {}
    title = soup.find("title")
    if title:
        out["title"] = " ".join(title.get_text().split())
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            if not isinstance(item, dict):
                continue
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(str(k).endswith(("Article", "BlogPosting", "Report")) for k in kinds):
                continue
            publisher = item.get("publisher")
            if isinstance(publisher, list) and publisher:
                publisher = publisher[0]
            if isinstance(publisher, dict) and publisher.get("name"):
                out.setdefault("publisher", " ".join(str(publisher["name"]).split()))
            if item.get("dateModified"):
                out.setdefault("modified", str(item["dateModified"]))
    people = soup.find_all(attrs={"typeof": re.compile(r"\bPerson\b")}) + soup.find_all(
        attrs={"itemprop": "author"}
    )
    for person in people:
        name = person.find(attrs={"property": re.compile(r"name$")}) or person.find(
            attrs={"itemprop": "name"}
        )
        text = " ".join((name or person).get_text().split())
        if text and len(text.split()) <= 6:
            out["author"] = text
            break
    if "modified" not in out:
        modified = _meta(soup, "article:modified_time", "og:updated_time", "dateModified")
        if not modified:
            tag = soup.find(attrs={"itemprop": "dateModified"}) or soup.find(
                "time", class_=re.compile(r"\bupdated\b")
            )
            modified = (tag.get("datetime") or tag.get("content") or "") if tag else ""
        if modified:
            out["modified"] = str(modified)
    return out


def _ld_items(data):
    if isinstance(data, list):
        for x in data:
            yield from _ld_items(x)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _ld_items(data["@graph"])


_CONFIG = None


def _config():
    """trafilatura's settings, but short articles stay articles: below 250 extracted characters it
    would fall back to the whole page's text, menus included (a three-paragraph brief is news too)."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        _CONFIG = use_config()
        _CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
    return _CONFIG


def _trafilatura(html: str, url: str):
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(),
        )
    except Exception:  # a page trafilatura cannot parse is read by our rules instead
        return None


def _updated(html: str, url: str, published: str) -> str:
    """The last-modified date the page states, when it differs from the publication date."""
    import htmldate

    try:
        found = htmldate.find_date(
            html, extensive_search=False, original_date=False, url=url or None
        )
    except Exception:
        return ""
    updated = iso_date(found)
    return updated if updated and updated != published else ""


_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def _language(html: str) -> str:
    m = _LANG.search(html[:5000])
    return m.group(1).lower() if m else ""
