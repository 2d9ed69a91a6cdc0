"""Stage 2, extract: a loaded page's text → its articles, each as an editor would mark it."""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter

from newsgen.extract.bylines import Credits, parse_credits
from newsgen.extract.dates import lead_date, page_year, with_page_year
from newsgen.extract.districts import Verdict, district_verdict, infer_home
from newsgen.extract.furniture import find_furniture, header_facts, picture_credit
from newsgen.extract.layout import page_lines
from newsgen.extract.lines import classify_page
from newsgen.extract.pagefacts import page_facts, with_issue_date
from newsgen.extract.paragraphs import Body, assemble
from newsgen.extract.segment import Draft, segment
from newsgen.load import RawPage
from newsgen.model import Article, Date, Diagnostic, Furniture, Page, PageFacts

__all__ = ["extract_page"]


def article_id(source: str, key: str, occurrence: int) -> str:
    """Stable across edits of other files: it depends on this file's path and headline only."""
    digest = hashlib.sha1(f"{source}\x1f{key}\x1f{occurrence}".encode()).hexdigest()
    return digest[:12]


def _flags(draft: Draft, body: Body, byline: str | None) -> list[str]:
    flags = []
    has_text = any(b.type != "subhead" for b in body.blocks)
    if draft.title is None and draft.column is None:
        flags.append("no-headline")
    if not has_text:
        flags.append("headline-only")
    if byline is None and has_text and not body.brief_bylines:
        flags.append("no-byline")
    if body.starts_mid_sentence:
        flags.append("starts-mid-sentence")
    if body.ends_mid_sentence:
        flags.append("ends-mid-sentence")
    return flags


def extract_page(raw: RawPage) -> Page:
    nonblank = [(i, line) for i, line in enumerate(raw.lines) if line and not line.isspace()]
    furniture, kinds = find_furniture(nonblank, raw.first_line)
    header = header_facts(furniture)
    facts, notes = page_facts(raw, header.facts() if header else PageFacts(), header.line if header else None)
    drafts = segment(classify_page(page_lines(nonblank, raw.first_line, frozenset(kinds))), frozenset(raw.columns))
    bodies = [assemble(d.body) for d in drafts]
    texts = [_plain_text(d, b) for d, b in zip(drafts, bodies)]
    home = raw.facts.district or infer_home(texts)
    dates = [_dated(lead_date(b.lead, t), facts.date) for b, t in zip(bodies, texts)]
    year = page_year(dates, raw.facts.year)
    seen: Counter[str] = Counter()
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = list(raw.diagnostics)
    pictured = _photo_credits(furniture, [min(ln.no for ln in d.all_lines) for d in drafts])
    for order, (draft, body, text, date) in enumerate(zip(drafts, bodies, texts, dates)):
        lines = draft.all_lines
        title = draft.title.text if draft.title else ""
        key = title or draft.column or (body.blocks[0].text[:40] if body.blocks else "")
        seen[key] += 1
        byline = " ".join(text for _, text in sorted(body.bylines)) or None
        name_sources = [text for _, text in sorted(body.bylines)] + body.brief_bylines
        credits = _credits(name_sources)
        verdict = district_verdict(_district_parts(draft, body), home, home_inferred=raw.facts.district is None)
        article = Article(
            id=article_id(raw.source, key, seen[key]),
            source=raw.source,
            lines=(min(ln.no for ln in lines), max(ln.end or ln.no for ln in lines)),
            order=order,
            column=draft.column,
            kicker=" ".join(ln.text for ln in draft.kicker) or None,
            title=title,
            subtitle=" ".join(ln.text for ln in draft.subtitle) or None,
            dateline=body.dateline,
            byline=byline,
            reporters=credits.reporters,
            correspondents=credits.correspondents,
            date=with_page_year(date, year),
            district=verdict.district,
            blocks=tuple(body.blocks),
            flags=tuple(_flags(draft, body, byline)),
            paper=facts.paper,
            column_owner=draft.column_line is not None and draft.column == draft.column_line.text,
            interns=credits.interns,
            photographers=_joined(credits.photographers, pictured.get(order, ())),
            issue_date=facts.date.iso() if facts.date else None,
        )
        articles.append(article)
        diagnostics.extend(_doubts(article, verdict))
        if draft.doubt and draft.title is not None:
            diagnostics.append(Diagnostic(raw.source, draft.title.no, "warning", "weak-headline-group", draft.doubt))
    diagnostics.extend(_furniture_doubts(raw.source, furniture))
    diagnostics.extend(notes)
    return _page(raw, articles, diagnostics, furniture, facts)


def _dated(date: Date, issue: Date | None) -> Date:
    """The issue's date gives an article the year its text leaves out (or its whole date):
    a strong fact, where the page's facts or header or path give one."""
    return with_issue_date(date, issue) if issue is not None else date


def _page(
    raw: RawPage,
    articles: list[Article],
    diagnostics: list[Diagnostic],
    furniture: list[Furniture],
    facts: PageFacts,
) -> Page:
    return Page(
        source=raw.source,
        encoding=raw.encoding,
        facts=raw.facts,
        articles=tuple(articles),
        diagnostics=tuple(diagnostics),
        digest=raw.digest,
        furniture=tuple(furniture),
        paper=facts.paper,
        issue_date=facts.date,
        page_number=facts.page,
        page_name=facts.page_name,
    )


def _district_parts(draft: Draft, body: Body) -> dict[str, str]:
    """The title, the lead paragraph and the rest, each counted once in the district vote.

    A lead the layout broke mid-sentence was joined to the lines after it: the paragraph it
    became is the lead, not also body text (which counted its districts twice)."""
    blocks = [b.text for b in body.blocks]
    lead = body.lead or ""
    at = next((i for i, text in enumerate(blocks) if lead and text.startswith(lead)), None)
    if at is not None:
        lead = blocks.pop(at)
    return {
        "title": " ".join(ln.text for ln in draft.head_lines if ln is not draft.column_line),
        "lead": lead,
        "body": " ".join(blocks),
    }


def _credits(bylines: list[str]) -> Credits:
    """Everyone the article's bylines name, each once per role, in source order."""
    if len(bylines) == 1:
        return parse_credits(bylines[0])
    found: list[tuple[str, ...]] = [(), (), (), ()]
    for text in bylines:
        found = [_joined(names, more) for names, more in zip(found, parse_credits(text))]
    return Credits(*found)


def _photo_credits(furniture: list[Furniture], starts: list[int]) -> dict[int, tuple[str, ...]]:
    """Who took the pictures each article prints: the names of its photo-credit lines and
    of its captions' `（记者 X 摄）` (before the first article: the first one's). The line
    stays furniture, where a PDF's text layer puts it (under the picture). Its people are
    the article's photographers only: `本报记者 X 摄` says X is on the staff, not that X
    reported this story."""
    found: dict[int, tuple[str, ...]] = {}
    if not starts:
        return found
    for item in furniture:
        credit = picture_credit(item)
        if credit is None:
            continue
        order = max(bisect.bisect_right(starts, item.line) - 1, 0)
        found[order] = _joined(found.get(order, ()), parse_credits(credit).photographers)
    return found


def _joined(names: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return names + tuple(name for name in more if name not in names)


def _furniture_doubts(source: str, furniture: list[Furniture]) -> list[Diagnostic]:
    """A headline printed twice is the one furniture call that could hide a story's text."""
    return [
        Diagnostic(source, f.line, "warning", "duplicate-headline", f"{f.text}: the same headline again, kept once")
        for f in furniture
        if f.kind == "duplicate"
    ]


def _plain_text(draft: Draft, body: Body) -> str:
    return "\n".join([draft.headline_text(), *(b.text for b in body.blocks)])


_DOUBTS = {
    "headline-only": "headline with no body",
    "no-headline": "text that stands under no headline (it could not be assigned to an article)",
    "no-byline": "no byline",
    "starts-mid-sentence": "a paragraph starts mid-sentence (its beginning was lost on the page)",
    "ends-mid-sentence": "the text ends mid-sentence",
}


def _doubts(article: Article, verdict: Verdict) -> list[Diagnostic]:
    found = []
    name = article.display_title
    for flag in article.flags:
        found.append(Diagnostic(article.source, article.lines[0], "warning", flag, f"{name}: {_DOUBTS[flag]}"))
    if not article.date.known or (article.date.month is None and article.date.day is None):
        found.append(Diagnostic(article.source, article.lines[0], "warning", "no-date", f"{name}: no date in the text"))
    if article.district is None:
        code, why = _NO_DISTRICT[verdict.doubt]
        if verdict.candidates:
            why += ": " + ", ".join(verdict.candidates)
        found.append(Diagnostic(article.source, article.lines[0], "warning", code, f"{name}: {why}"))
    return found


# Why an article has no district: check names the districts a conflict left it between.
_NO_DISTRICT: dict[str | None, tuple[str, str]] = {
    None: ("no-district", "no district named"),
    "tie": ("district-conflict", "district left empty, named about equally"),
    "ambiguous": ("district-conflict", "district left empty, a street or town in several districts"),
    "outside": ("no-district", "no district: only places outside Zhengzhou named"),
}
