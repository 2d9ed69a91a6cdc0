"""`newsgen check`: a per-file report an archivist can act on."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from newsgen.cli import count
from newsgen.extract import iter_pages
from newsgen.commands.options import add_source_options, config_from_args
from newsgen.errors import EXIT_CONTENT, EXIT_OK, NewsgenError, located
from newsgen.model import Page

HELP = "report what the loader found in each page file, and anything doubtful"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)
    parser.add_argument("--quiet", action="store_true", help="print only files with errors and the summary")


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    files = articles = 0
    errors: list[NewsgenError] = []
    warnings: Counter[str] = Counter()
    notes: Counter[str] = Counter()  # what changed nothing: a weaker source of a page fact disagreed
    for item in iter_pages(config):
        files += 1
        if isinstance(item, NewsgenError):
            errors.append(item)
            print(f"newsgen: error: {item}", file=sys.stderr)
            continue
        articles += len(item.articles)
        for diagnostic in item.diagnostics:
            (notes if diagnostic.severity == "note" else warnings)[diagnostic.code] += 1
        if args.quiet:
            continue
        print(f"{located(item.source, None)}: {count(len(item.articles), 'article')} ({item.encoding})")
        for article in item.articles:
            date = article.date
            when = "-".join(str(p) if p is not None else "?" for p in (date.year, date.month, date.day))
            mark = " (the issue's)" if date.from_issue else "*" if date.year_inferred else ""
            print(
                f"  {located(item.source, article.lines[0])}: {article.display_title}"
                f"  [{when}{mark} · {article.district or '?'}"
                f" · {article.byline or '-'}]"
            )
        for line in _furniture_report(item):
            print(f"  {line}")
        for diagnostic in item.diagnostics:
            print(f"  {diagnostic}")
    noted = f", {_counted(notes, 'note')}" if notes else ""
    print(f"{count(files, 'file')}, {count(articles, 'article')}, {_counted(warnings, 'warning')}{noted}, "
          f"{count(len(errors), 'error')}")  # fmt: skip
    return EXIT_CONTENT if errors else EXIT_OK


def _counted(codes: Counter[str], what: str) -> str:
    """"3 warnings (1 no-date, 2 no-district)", "1 warning (1 no-date)"."""
    summary = ", ".join(f"{n} {code}" for code, n in sorted(codes.items()))
    return f"{count(sum(codes.values()), what)}{' (' + summary + ')' if summary else ''}"


def _furniture_report(page: Page) -> list[str]:
    """What the page is (from its facts, header or path), then every line kept as the page's
    furniture, not as text."""
    lines = []
    date = page.issue_date
    facts = [
        page.paper,
        f"{date.year}-{date.month}-{date.day}" if date else None,
        f"第{page.page_number}版" if page.page_number else None,
        page.page_name,
    ]
    if any(facts):
        lines.append(f"page: {' · '.join(f for f in facts if f)}")
    for item in page.furniture:
        lines.append(f"{located(page.source, item.line)}: furniture ({item.kind}): {item.text}")
    return lines
