"""Fixture PDFs for measuring and testing PDF text extraction, generated with fpdf2.

    build(folder) -> {"name.pdf": labels}

Every story is invented for this purpose (places, people and events do not exist). Each PDF is laid out
line by line by the small engine below, so the labels are the truth rather than a guess: which
paragraphs exist and on which page each begins, which words the layout broke with a hyphen at a line
end, which running headers and page numbers were printed. Core fonts only (Helvetica, Times): text is
latin-1, so '-' stands in for dashes. Output is deterministic (fixed creation dates, RC4 encryption,
which needs no random salt), so a measurement can be repeated on identical bytes.

Labels per file:
    paragraphs   the body paragraphs in reading order, as a reader would quote them
    para_pages   the page (1-based) on which each paragraph begins
    headers      running headers, footers and page numbers, one string per printed occurrence
    hyphenated   words broken across lines at a syllable ("infra-" / "structure" -> "infrastructure")
    compounds    hyphenated compounds broken at their own hyphen ("well-" / "known" -> "well-known")
    table_rows   table rows, cells joined by single spaces
    pages, title, author, published (ISO date of the CreationDate), scanned, encryption ("", "owner", "user")
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

_SYLLABLE_BREAK = re.compile(r"\w-$")  # "infra-": a word split at a syllable
_MARKER = re.compile(r"\{(\d+)\}")  # "{1}": a footnote marker, printed as a superscript digit


@dataclass
class _Op:
    """One thing drawn on a page. y is the top of the line box, in mm."""

    kind: str  # "line", "cell" (bordered table cell), "rule", "image"
    x: float
    y: float
    w: float = 0.0
    h: float = 0.0
    text: str = ""
    font: tuple[str, str, float] = ("Times", "", 11.0)
    align: str = "L"  # "L", "C" or "J"
    data: bytes = b""


@dataclass
class _Frame:
    x: float
    top: float
    w: float
    bottom: float


@dataclass
class _Sheet:
    """Pages of one size, filled frame by frame (a column is a frame), one line at a time."""

    size: tuple[float, float] = (110.0, 150.0)
    frames: Callable[[int], list[_Frame]] = field(default=lambda page: [_Frame(15, 20, 80, 128)])
    pages: list[list[_Op]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    para_pages: list[int] = field(default_factory=list)
    hyphenated: list[str] = field(default_factory=list)
    compounds: list[str] = field(default_factory=list)
    table_rows: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="mm", format=self.size)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_creation_date(dt.datetime(2031, 1, 5, 9, 0, tzinfo=dt.UTC))
        self.new_page()

    # -- placement -------------------------------------------------------------------------------

    def new_page(self) -> None:
        self.pages.append([])
        self._frames = self.frames(len(self.pages))
        self._frame = 0
        self.y = self._frames[0].top

    def set_frames(self, frames: list[_Frame]) -> None:
        """From here on, this page (and later pages) flow through ``frames``."""
        self._frames, self._frame = frames, 0
        self.y = frames[0].top
        self.frames = lambda page: frames

    @property
    def frame(self) -> _Frame:
        return self._frames[self._frame]

    def _advance(self, h: float, may_break: bool) -> None:
        if self.y + h <= self.frame.bottom + 1e-6:
            return
        if not may_break:
            raise ValueError("fixture text overflows a frame that must not break")
        if self._frame + 1 < len(self._frames):
            self._frame += 1
            self.y = self.frame.top
        else:
            self.new_page()

    def width(self, text: str, font: tuple[str, str, float]) -> float:
        self.pdf.set_font(*font)
        return self.pdf.get_string_width(_MARKER.sub(r"\1", text))

    def wrap(
        self, text: str, font: tuple[str, str, float], width: float, indent: float
    ) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            trial = f"{current} {word}" if current else word
            room = width - (indent if not lines else 0)
            if current and self.width(trial, font) > room:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
        return lines

    def para(
        self,
        text: str,
        font: tuple[str, str, float] = ("Times", "", 11.0),
        leading: float = 5.0,
        indent: float = 0.0,
        gap: float = 0.0,
        justify: bool = False,
        align: str = "L",
        label: bool = True,
        may_break: bool = True,
    ) -> None:
        """A paragraph wrapped at spaces only (no hyphenation), ``gap`` mm of space above it."""
        lines = self.wrap(text, font, self.frame.w, indent)
        self.lines(lines, font, leading, indent, gap, justify, align, label, may_break)

    def lines(
        self,
        lines: list[str],
        font: tuple[str, str, float] = ("Times", "", 11.0),
        leading: float = 5.0,
        indent: float = 0.0,
        gap: float = 0.0,
        justify: bool = False,
        align: str = "L",
        label: bool = True,
        may_break: bool = True,
    ) -> None:
        """A paragraph set as exactly these lines. A line ending in a letter and '-' breaks a word at a
        syllable; ending in '=' breaks a compound at its hyphen (printed as '-')."""
        if self.y > self.frame.top + 1e-6:
            self.y += gap
        first_page = None
        for i, line in enumerate(lines):
            self._advance(leading, may_break)
            if first_page is None:
                first_page = len(self.pages)
            x = self.frame.x + (indent if i == 0 else 0)
            w = self.frame.w - (indent if i == 0 else 0)
            printed = line[:-1] + "-" if line.endswith("=") else line
            last = i == len(lines) - 1
            how = "J" if justify and not last else align
            self.pages[-1].append(_Op("line", x, self.y, w, leading, printed, font, how))
            self.y += leading
        if label:
            self.paragraphs.append(_join(lines, self.hyphenated, self.compounds))
            self.para_pages.append(first_page or len(self.pages))

    def table(self, rows: list[list[str]], widths: list[float], gap: float = 3.0) -> None:
        self.y += gap
        for r, row in enumerate(rows):
            self._advance(6.0, may_break=False)
            x = self.frame.x
            for text, w in zip(row, widths, strict=True):
                font = ("Helvetica", "B" if r == 0 else "", 9.0)
                self.pages[-1].append(_Op("cell", x, self.y, w, 6.0, text, font))
                x += w
            self.table_rows.append(" ".join(row))
            self.y += 6.0

    def rule(self, x: float, y: float, w: float) -> None:
        self.pages[-1].append(_Op("rule", x, y, w))

    def running(
        self,
        header: str | None,
        footer: Callable[[int, int], str] | None,
        header_y: float = 8.0,
        footer_y: float = 138.0,
        font: tuple[str, str, float] = ("Helvetica", "", 8.0),
    ) -> None:
        """Running header and footer on every page: the header is drawn first on a page, the footer
        last, as page templates usually are."""
        total = len(self.pages)
        for n, ops in enumerate(self.pages, start=1):
            if header:
                ops.insert(0, _Op("line", 15, header_y, self.size[0] - 30, 4, header, font, "C"))
                self.headers.append(header)
            if footer:
                text = footer(n, total)
                ops.append(_Op("line", 15, footer_y, self.size[0] - 30, 4, text, font, "C"))
                self.headers.append(text)

    # -- output ----------------------------------------------------------------------------------

    def render(self, order: str = "stream") -> FPDF:
        """Draw every page. ``order="rows"`` writes a page's lines top to bottom across columns
        (left line 1, right line 1, left line 2, ...), as some generators do: the reading order is then
        not the content-stream order, and only layout analysis recovers it."""
        pdf = self.pdf
        for ops in self.pages:
            pdf.add_page()
            if order == "rows":
                ops = sorted(ops, key=lambda o: (round(o.y, 1), o.x))
            for op in ops:
                _draw(pdf, op)
        return pdf


def _join(lines: list[str], hyphenated: list[str], compounds: list[str]) -> str:
    """What a reader sees: syllable breaks closed up, compound breaks keep their hyphen."""
    out = ""
    for i, line in enumerate(lines):
        line = _MARKER.sub(r"\1", line)
        if i + 1 < len(lines):
            following = lines[i + 1].split(" ")[0]
            if line.endswith("="):
                compounds.append(line.split(" ")[-1][:-1] + "-" + following.rstrip(".,;:\"'"))
                out += line[:-1] + "-"
                continue
            if _SYLLABLE_BREAK.search(line):
                hyphenated.append(line.split(" ")[-1][:-1] + following.rstrip(".,;:\"'"))
                out += line[:-1]
                continue
        out += line + (" " if i + 1 < len(lines) else "")
    return out


def _draw(pdf, op: _Op) -> None:
    if op.kind == "rule":
        pdf.set_line_width(0.2)
        pdf.line(op.x, op.y, op.x + op.w, op.y)
        return
    if op.kind == "image":
        pdf.image(io.BytesIO(op.data), x=op.x, y=op.y, w=op.w, h=op.h)
        return
    pdf.set_font(*op.font)
    if op.kind == "cell":
        pdf.set_xy(op.x, op.y)
        pdf.cell(op.w, op.h, op.text, border=1)
        return
    if _MARKER.search(op.text):
        _draw_with_superscripts(pdf, op)
        return
    pdf.set_xy(op.x, op.y)
    if op.align == "J" and " " in op.text:
        _justified(pdf, op)
    else:
        pdf.cell(op.w, op.h, op.text, align=op.align)


def _justified(pdf, op: _Op) -> None:
    """A single justified line, spaces widened with the Tw operator as fpdf2's multi_cell does.

    fpdf2's public cell() refuses align="J" (it cannot know the line is not a paragraph's last), so
    this calls the renderer multi_cell uses; if that private API moves, the line is set ragged."""
    try:
        from fpdf.enums import Align
        from fpdf.line_break import TextLine

        frags = pdf._preload_font_styles(pdf.normalize_text(op.text), False)
        width = pdf.get_string_width(op.text)
        line = TextLine(frags, width, op.text.count(" "), Align.J, op.h, op.w)
        pdf._render_styled_text_line(line, op.h)
    except (AttributeError, ImportError, TypeError):
        pdf.cell(op.w, op.h, op.text)


def _draw_with_superscripts(pdf, op: _Op) -> None:
    """Body text with footnote markers: each marker a small digit raised above the baseline."""
    family, style, size = op.font
    baseline = op.y + op.h * 0.5 + size * 0.3 * 25.4 / 72
    x = op.x + pdf.c_margin  # where cell() would have started the text
    for i, piece in enumerate(_MARKER.split(op.text)):
        if not piece:
            continue
        small = i % 2 == 1
        pdf.set_font(family, style, size * 0.6 if small else size)
        pdf.text(x, baseline - (size * 0.35 * 25.4 / 72 if small else 0), piece)
        x += pdf.get_string_width(piece)


def _png(lines: list[str], size: tuple[int, int] = (620, 840)) -> bytes:
    """A greyscale 'scan' of typed lines: an image only, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", size, 250)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=15)
    y = 60
    for line in lines:
        draw.text((50, y), line, fill=30, font=font)
        y += 24
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# -- the stories -----------------------------------------------------------------------------------

WEEKLY = [
    "Brenmoor council voted on Monday night to spend £4.2 million on a new river wall along the "
    "Tolley, ending two years of argument over how to protect the low streets of the old town. The "
    "vote was eleven to three, with two members absent. Work is due to begin in late May and should "
    "take about fourteen months, according to the council's engineering office.",
    "The wall will run for 1.6 kilometres from the Saltings footbridge to the old tannery yard. "
    "Engineers say it is designed to hold back a flood one metre higher than the one that reached "
    "Mill Lane in the winter of 2029, when more than ninety homes were evacuated and the primary "
    "school on Cooper Street closed for six weeks.",
    "Councillor Maren Oduya, who chairs the environment committee, told the meeting that the town "
    'could not wait for another winter. "We have had the studies, we have had the consultations, and '
    'we have had the water in people\'s kitchens," she said. "Tonight we stop talking and start '
    'building."',
    "Not everyone was persuaded. Councillor Rufus Hale, one of the three members who voted against, "
    "said the plan paid too little attention to the farms upstream, where he believes the real "
    "problem lies. He argued that restoring the wet meadows above Fennick Weir would slow the river "
    "for a fraction of the price and would not cut the town off from its own waterfront.",
    "Residents of the riverside streets are divided as well. At a public meeting in the Corn "
    "Exchange last month, some owners of the terraced houses on Wharf Row asked for the wall to be "
    "built as quickly as possible, while others said a concrete barrier would spoil the view that "
    "draws visitors to the cafes along the towpath.",
    "The council says the design has been changed in response. Around a third of the wall will be "
    "built with glass panels set into a low stone base, so that the river can still be seen from "
    "the benches on the promenade. Three gates will remain open in dry weather and will be closed "
    "by hand when the flood office issues a warning.",
    "Money for the project comes from three sources. The national flood fund will pay £2.5 million, "
    "the county will contribute £900,000, and the remaining £800,000 will be borrowed by the "
    "council over twenty-five years. Officials said the loan would add roughly four pounds a year "
    "to the average household's council tax bill.",
    "In a separate decision on the same evening, members agreed to reopen the Brenmoor lending "
    "library on Castle Street, which has been closed since its roof failed during a storm in 2030. "
    "The building will be repaired and a new children's room added at the back, in the space once "
    "used as a coal store.",
    "The library plan passed without opposition. Librarian Agnes Tolliver, who has run a temporary "
    "service from two rooms above the post office since the closure, said the decision was the "
    "best news she had heard in years. She expects the branch to reopen in the autumn with longer "
    "hours on Saturdays and a small local history collection.",
    "Both projects will be discussed again at the council's finance committee on the fourth of "
    "April, when members must approve the final budgets. The meeting is open to the public and "
    "will be held in the council chamber at seven in the evening. Residents who wish to speak must "
    "register with the clerk's office by the end of March.",
    "The Courier will publish the full plans for the river wall, including maps of the three gates "
    "and the glass sections, in next week's edition. Readers can also view the drawings at the town "
    "hall reception desk on weekdays between nine and four.",
]

FERRY = [
    "The passenger ferry between Port Averell and Skellan Isle returned to service on Saturday "
    "morning after eleven weeks in dry dock, bringing relief to the island's three hundred "
    "residents, who had relied on a chartered fishing boat for supplies since the middle of January.",
    "The vessel, the Marigold Bell, was taken out of the water after a routine inspection found "
    "corrosion around her propeller shaft. The harbour company had expected repairs to last a "
    "month, but the discovery of a cracked rudder bearing added several weeks and nearly doubled "
    "the cost.",
    "Harbour master Deveraux Pyle said the ferry had passed its sea trials on Thursday without "
    'trouble. "She is running better than she has in ten years," he said. "The engineers replaced '
    'far more than we asked them to, and the island will feel the difference."',
    "During the closure the island school moved its lessons online, and the weekly doctor's clinic "
    "was held by video link. Islanders said the chartered boat, which could carry only twelve "
    "passengers, was often full by the early sailing, leaving people waiting on the slipway in "
    "the cold.",
    "Shopkeeper Wenna Carrow, who runs the only grocery on the island, said fresh produce had "
    "arrived twice a week at best. She kept the shop open with tinned goods and bread baked in her "
    "own kitchen, and said customers had been patient but tired of the uncertainty.",
    "The harbour company has promised a review of how it plans maintenance, including whether a "
    "second, smaller vessel should be kept in reserve. A report is due before the summer timetable "
    "begins in June, when the ferry usually runs six crossings a day instead of four.",
    "Tickets bought for cancelled sailings can be refunded at the Port Averell booking office until "
    "the end of April, the company said.",
]

ORCHARD = [
    "Fruit growers across the Hallam valley say this spring's blossom is the heaviest in living "
    "memory, after a mild winter and a dry, sunny March. Several orchards near the village of "
    "Corvale reported trees so laden that branches had to be propped up with timber before a "
    "single fruit had set.",
    "Beatrix Sollow, who manages forty acres of apple and pear trees on the south slope, said she "
    'had never seen anything like it in thirty seasons. "Every tree is white from top to bottom," '
    'she said. "If the frost stays away for another three weeks, we will need every picker we can '
    'find."',
    "That last condition worries many in the valley. A hard frost in the second week of April "
    "would damage open flowers and could wipe out much of the crop in a single night. Growers have "
    "begun setting out smudge pots and wind machines, and some have booked helicopters to stir the "
    "air on the coldest mornings.",
    "The valley cooperative, which buys fruit from more than sixty farms, has already warned that "
    "a large harvest could push prices down in the autumn. Its chair, Tobias Renwick, said members "
    "were looking at new contracts with juice makers and a cider mill in the next county to avoid "
    "waste.",
    "Seasonal workers are expected to be in short supply. The cooperative plans to open a hostel in "
    "the old Corvale grain store for up to eighty pickers, with meals provided, and has asked the "
    "county to add an evening bus from the railway station during the harvest.",
    "Blossom tours, which draw visitors from the cities every April, begin on Sunday. The tourist "
    "office said weekend walks were almost fully booked.",
]

# Set line by line: '-' after a letter = syllable break, '=' = compound broken at its own hyphen.
ROADS = [
    [
        "The Northfold county council will spend a",
        "record sum on its roads and bridge infra-",
        "structure next year, after engineers found",
        "that eleven of its bridges need urgent work.",
        "The budget, approved on Wednesday, sets",
        "aside £31 million for repairs, a rise of al-",
        "most a third on last year. Officials said the",
        "national grant would cover only part of the",
        "cost, and that the rest would come from re-",
        "serves built up over the past decade.",
    ],
    [
        "Transport chief Oskar Lindqvist, a well=",
        "known critic of the previous administration,",
        "said the state-owned quarry at Harl Moor",
        "would supply stone at cost. He called the",
        "spending plan he had drawn up a long=",
        "overdue investment in the county's roads.",
        "Contracts for the first six bridges will be",
        "signed in early summer with the Anglo=",
        "Dutch firm Vellum Brothers, and the most",
        "damaged crossing, at Emmet Ford, will be",
        "rebuilt entirely at a cost of £4 million.",
    ],
    [
        "Opposition members asked why the state=",
        "owned quarry had not been used before and",
        "called for an independent review of the con-",
        "tracts. The vote that followed was close -",
        "twenty-two to nineteen - and the council's",
        "auditor, Priya Castellane, promised to pub-",
        "lish her findings in October, before the first",
        "tenders are awarded.",
    ],
]

RELEASE_TITLE = "Water authority to replace 40 kilometres of mains in Brenmoor"
RELEASE = [
    "BRENMOOR, 14 March 2031 - The Tolley Valley Water Authority will replace forty kilometres of "
    "ageing water mains in Brenmoor over the next three years, the authority announced today. The "
    "work is expected to cut leakage in the town by half and end the frequent bursts that have left "
    "streets without water several times this winter.",
    "The programme will be carried out in four phases, starting in the northern districts where the "
    "oldest cast iron pipes are found. Each phase will be announced to residents at least six weeks "
    "in advance.",
    '"Our customers in Brenmoor have put up with too many interruptions," said chief executive '
    'Lorna Achterberg. "This investment means that, by 2034, most homes in the town will be served '
    'by pipes laid in this century."',
    "Temporary traffic lights will be needed on several roads while the work is under way. The "
    "authority will publish a map of affected streets on its website and will deliver letters to "
    "every address on the route.",
]
RELEASE_TABLE = [
    ["Phase", "District", "Length (km)", "Start"],
    ["1", "Northgate and Saltings", "12.5", "May 2031"],
    ["2", "Castle Street and Wharf Row", "9.0", "Jan 2032"],
    ["3", "Mill Lane and Cooper Street", "10.5", "Sep 2032"],
    ["4", "Fennick Road", "8.0", "Apr 2033"],
]
RELEASE_CONTACT = "Media contact: Ilse Varga, press office, telephone 01632 960 417."

TIMETABLE_TITLE = "Spring timetable brings later ferries to Skellan Isle"
TIMETABLE = [
    "Ferries to Skellan Isle will run until half past nine in the evening from the first of May, "
    "the harbour company said on Wednesday, two hours later than during the winter months.",
    "The change follows a petition signed by more than two hundred islanders, many of whom work "
    "shifts in the hospital and the fish market at Port Averell and could not get home on the last "
    "winter sailing at half past seven.",
    "The company said the extra crossings would be paid for by a small rise in the price of a "
    "return ticket for visitors, from nine pounds to ten. Island residents will continue to travel "
    "at the reduced fare.",
    "A full timetable is posted at both harbours and will be delivered to every household on the "
    "island before the end of April.",
]

MARATHON_TITLE = "Brenmoor marathon moves away from the river"
MARATHON = [
    "The Brenmoor marathon will follow a new route this year because of the work on the river "
    "wall, organisers said on Friday. Runners will start at the cattle market and loop twice around "
    "the northern parks before finishing on Castle Street.",
    "Race director Simone Achebe said the change would make the course about forty seconds slower "
    "for most runners, because of a long climb past the reservoir, but that the views from the top "
    "would make up for it.",
    "About two thousand runners are expected on the second Sunday in September. Roads along the "
    "route will close from seven in the morning until three in the afternoon.",
]

CARNIVAL_TITLE = "Carnival committee picks a harbour theme"
CARNIVAL = [
    "This year's Port Averell carnival will celebrate the harbour, the committee announced on "
    "Tuesday evening after a vote among the town's schools, clubs and choirs.",
    "Floats will be judged on the quayside for the first time, and the parade will end with "
    "fireworks over the outer breakwater, weather permitting.",
]

REVIEW_TITLE = "Where the council's money went in 2030"
REVIEW_PAGE_1 = [
    "Brenmoor council spent £58.4 million in the year to March 2030, slightly less than it had "
    "planned.{1} Social care for older residents was again the largest item, taking almost a third "
    "of the total, followed by schools transport and the upkeep of roads.",
    "Income from parking fell for the second year running, which the treasurer put down to the "
    "closure of the Castle Street car park during the library repairs.{2} Fees from the market "
    "hall rose by a tenth.",
]
REVIEW_NOTES_1 = [
    "{1} Figures are taken from the audited statement of accounts published in September 2030.",
    "{2} The car park reopened in part in January 2031, with sixty of its ninety spaces.",
]
REVIEW_PAGE_2 = [
    "The council ended the year with reserves of £6.1 million, enough to cover about five weeks of "
    "spending.{3} The finance committee has asked for this to be raised to eight weeks by 2033.",
    "Members will debate the next budget in the council chamber on the fourth of April, and the "
    "papers will be published a week in advance.",
]
REVIEW_NOTES_2 = [
    "{3} Reserves set aside for the river wall are not included in this figure.",
]

SCAN = [
    "BRENMOOR ALLOTMENT SOCIETY",
    "Minutes of the spring meeting, 3 March 2031",
    "",
    "Present: eighteen members and the secretary.",
    "The secretary reported that six plots are vacant",
    "and that the waiting list has eleven names on it.",
    "Members agreed to repair the shared tool shed",
    "before the end of April, at a cost of 240 pounds.",
    "The water supply to the lower plots will be",
    "turned on again on the first of April.",
    "The next meeting will be held in June.",
]


# -- the fixtures ----------------------------------------------------------------------------------


def _weekly() -> _Sheet:
    s = _Sheet(size=(110.0, 150.0))
    s.para(
        "Brenmoor council approves river wall and library plans",
        font=("Helvetica", "B", 13.0),
        leading=6.0,
    )
    s.para("By Hester Quill", font=("Helvetica", "I", 9.0), gap=1.0)
    for i, text in enumerate(WEEKLY):
        # Newspaper style: paragraphs marked by a first-line indent, not by space between them.
        s.para(text, indent=0 if i == 0 else 5.0, gap=3.0 if i == 0 else 0.0)
    s.running("City Courier - Weekly Edition", lambda n, total: f"Page {n} of {total}")
    return s


def _two_column(stories: list[str], title: str, byline: str, footer: str) -> _Sheet:
    s = _Sheet(size=(210.0, 160.0), frames=lambda page: [_Frame(15, 15, 180, 140)])
    s.para(title, font=("Times", "B", 20.0), leading=9.0)
    s.para(byline, font=("Helvetica", "I", 9.0), gap=1.0)
    top = s.y + 4.0
    s.set_frames([_Frame(15, top, 86, 128), _Frame(109, top, 86, 128)])
    for text in stories:
        s.para(text, font=("Times", "", 10.5), leading=4.6, gap=2.5)
    if len(s.pages) != 1:
        raise AssertionError("the two-column fixture must fit one page")
    s.running(None, lambda n, total: footer, footer_y=148.0)
    return s


def _roads() -> _Sheet:
    s = _Sheet(size=(100.0, 150.0), frames=lambda page: [_Frame(18, 18, 64, 130)])
    s.para("Record sum for roads", font=("Helvetica", "B", 13.0), leading=6.0)
    for i, lines in enumerate(ROADS):
        s.lines(
            lines, font=("Times", "", 10.0), leading=4.4, gap=4.0 if i == 0 else 2.5, justify=True
        )
    s.running(None, lambda n, total: str(n + 2), footer_y=140.0)
    return s


def _release() -> _Sheet:
    s = _Sheet(size=(150.0, 210.0), frames=lambda page: [_Frame(18, 15, 114, 190)])
    s.para("TOLLEY VALLEY WATER AUTHORITY", font=("Helvetica", "B", 10.0), label=False)
    s.para("FOR IMMEDIATE RELEASE", font=("Helvetica", "", 8.0), label=False, gap=1.0)
    s.para(RELEASE_TITLE, font=("Helvetica", "B", 14.0), leading=6.5, gap=5.0)
    for text in RELEASE[:2]:
        s.para(text, font=("Times", "", 10.5), leading=4.8, gap=3.0)
    s.table(RELEASE_TABLE, [16, 54, 24, 20], gap=4.0)
    s.y += 2.0
    for text in RELEASE[2:]:
        s.para(text, font=("Times", "", 10.5), leading=4.8, gap=3.0)
    s.para("###", font=("Times", "", 10.5), align="C", gap=3.0, label=False)
    s.para(RELEASE_CONTACT, font=("Helvetica", "", 8.5), gap=3.0)
    return s


def _simple(title: str, body: list[str], byline: str) -> _Sheet:
    s = _Sheet(size=(140.0, 180.0), frames=lambda page: [_Frame(18, 18, 104, 160)])
    s.para(title, font=("Helvetica", "B", 13.0), leading=6.0)
    s.para(byline, font=("Helvetica", "I", 9.0), gap=1.0)
    for text in body:
        s.para(text, font=("Times", "", 11.0), gap=3.0)
    return s


def _review() -> _Sheet:
    """Two pages, each with its footnotes in small type under a short rule at the foot."""
    body = [_Frame(15, 18, 90, 118)]
    s = _Sheet(size=(120.0, 160.0), frames=lambda page: body)
    s.para(REVIEW_TITLE, font=("Helvetica", "B", 12.0), leading=6.0)
    pages = ((REVIEW_PAGE_1, REVIEW_NOTES_1), (REVIEW_PAGE_2, REVIEW_NOTES_2))
    for n, (paragraphs, notes) in enumerate(pages):
        if n:
            s.frames = lambda page: body
            s.new_page()
        for text in paragraphs:
            s.para(text, font=("Times", "", 10.5), leading=4.8, gap=3.0, may_break=False)
        s.rule(15, 121, 30)
        s.set_frames([_Frame(15, 123, 90, 146)])
        for note in notes:
            s.para(note, font=("Times", "", 7.5), leading=3.4, may_break=False)
    s.running("Brenmoor Civic Review", lambda n, total: f"- {n} -", footer_y=150.0)
    return s


@dataclass
class _Spec:
    sheet: _Sheet
    order: str = "stream"
    title: str = ""
    author: str = ""
    created: dt.datetime = field(
        default_factory=lambda: dt.datetime(2031, 1, 5, 9, 0, tzinfo=dt.UTC)
    )
    encryption: str = ""  # "", "owner" or "user"
    scanned: bool = False


def _specs() -> dict[str, _Spec]:
    utc = dt.UTC
    plus_one = dt.timezone(dt.timedelta(hours=1))
    scanned = _Sheet(size=(148.0, 200.0))
    scanned.pages[0].append(_Op("image", 0, 0, 148.0, 200.0, data=_png(SCAN)))
    scanned.new_page()
    scanned.pages[1].append(_Op("image", 0, 0, 148.0, 200.0, data=_png(SCAN[3:] + SCAN[:3])))
    return {
        "weekly_report.pdf": _Spec(_weekly(), created=dt.datetime(2031, 3, 21, 6, 0, tzinfo=utc)),
        "two_column.pdf": _Spec(
            _two_column(
                FERRY,
                "Skellan Isle ferry back after winter repairs",
                "By Ansel Rook, Port Averell",
                "Page 7",
            ),
            created=dt.datetime(2031, 3, 30, 5, 30, tzinfo=utc),
        ),
        "two_column_rows.pdf": _Spec(
            _two_column(
                ORCHARD,
                "Orchard growers report record blossom",
                "By Nell Ashdown, Corvale",
                "- 12 -",
            ),
            order="rows",
            created=dt.datetime(2031, 4, 6, 7, 0, tzinfo=utc),
        ),
        "hyphenated.pdf": _Spec(_roads(), created=dt.datetime(2031, 2, 12, 8, 0, tzinfo=utc)),
        "press_release.pdf": _Spec(_release(), created=dt.datetime(2031, 3, 14, 10, 0, tzinfo=utc)),
        "metadata.pdf": _Spec(
            _simple(TIMETABLE_TITLE, TIMETABLE, "By Odile Brackwater"),
            title=TIMETABLE_TITLE,
            author="Odile Brackwater",
            # Local time just after midnight: the date is the one the PDF states, not the UTC date.
            created=dt.datetime(2031, 4, 2, 0, 15, tzinfo=plus_one),
        ),
        "scanned.pdf": _Spec(
            scanned, scanned=True, created=dt.datetime(2031, 3, 4, 12, 0, tzinfo=utc)
        ),
        "owner_password.pdf": _Spec(
            _simple(MARATHON_TITLE, MARATHON, "By Pim Halloran"),
            encryption="owner",
            created=dt.datetime(2031, 6, 13, 9, 0, tzinfo=utc),
        ),
        "user_password.pdf": _Spec(
            _simple(CARNIVAL_TITLE, CARNIVAL, "By Pim Halloran"),
            encryption="user",
            created=dt.datetime(2031, 6, 20, 9, 0, tzinfo=utc),
        ),
        "footnotes.pdf": _Spec(_review(), created=dt.datetime(2031, 1, 28, 9, 0, tzinfo=utc)),
    }


def build(folder: Path) -> dict[str, dict]:
    """Write the fixture PDFs into ``folder``; return their labels by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    labels: dict[str, dict] = {}
    for name, spec in _specs().items():
        s = spec.sheet
        pdf = s.render(spec.order)
        pdf.set_creation_date(spec.created)
        if spec.title:
            pdf.set_title(spec.title)
        if spec.author:
            pdf.set_author(spec.author)
        if spec.encryption == "owner":
            pdf.set_encryption(owner_password="desk-2031")
        elif spec.encryption == "user":
            pdf.set_encryption(owner_password="desk-2031", user_password="carnival")
        (folder / name).write_bytes(bytes(pdf.output()))
        labels[name] = {
            "paragraphs": [] if spec.scanned else s.paragraphs,
            "para_pages": [] if spec.scanned else s.para_pages,
            "headers": s.headers,
            "hyphenated": s.hyphenated,
            "compounds": s.compounds,
            "table_rows": s.table_rows,
            "pages": len(s.pages),
            "title": spec.title,
            "author": spec.author,
            "published": spec.created.date().isoformat(),
            "scanned": spec.scanned,
            "encryption": spec.encryption,
        }
    return labels


if __name__ == "__main__":
    import json
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "pdf-fixtures")
    print(json.dumps(build(out), indent=1))
