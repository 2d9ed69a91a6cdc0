"""Where the HTML pages' bytes go, before and after, in one run. Standard library only.

    python bench/page_bytes.py --sizes 1000,10000 --baseline REV [--out bench/out/page-bytes]
    python bench/page_bytes.py --parts SITE [SITE2]

For each size: the synthetic archive (bench/generate.py, reused when there), then one cold
build with git revision REV's code and templates ("before", checked out by bench/baseline.py)
and one with the working tree's ("after"), each `python -m newsgen build` in its own working
folder, in turn. Then two tables side by side:

- by kind of file (site_kinds.py), files and bytes per article, with the HTML pages (every
  kind but search/) summed: the figure issue 25's page budget counts;
- an article page split into its parts: its <title> and meta description, the rest of the
  head and the site chrome (everything else before <main>),
  the article's header (from <article> to the end of its metadata list), its body (the rest
  of the <article>), prev/next (the <nav> after the article with rel=prev/next links),
  related (the <section> after it), the footer and scripts (from </main>), other (what is
  left in <main>), as bytes per page averaged over every article page.

`--parts SITE [SITE2]` prints the second table for sites already built. `--anatomy SITE`
prints what a built site's HTML pages are made of, per article: text between tags against
markup, and the weight of the reader-facing parts a tighter budget could only meet by
dropping them (meta descriptions, datetime attributes, related lists, prev/next titles, the
reporters' lists).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402  (bench/baseline.py: the before side's checkout)
import generate  # noqa: E402  (bench/generate.py)
import site_kinds  # noqa: E402  (bench/site_kinds.py)

PARTS = ("title + description", "head + chrome", "article header", "body", "prev/next", "related", "footer + script", "other")
_MAIN = re.compile(r"<main\b[^>]*>")
_TITLE = re.compile(r"<title>.*?</title>\s*|<meta name=\"description\"[^>]*>\s*", re.S)
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_META_END = re.compile(r"</dl>\s*(?:</header>)?")
_NAV = re.compile(r"<nav\b(?:(?!</nav>).)*?rel=\"?(?:prev|next).*?</nav>", re.S)
_RELATED = re.compile(r"<section\b.*?</section>", re.S)


def page_parts(html: str) -> dict[str, int]:
    """One article page's bytes by part (UTF-8)."""
    def size(text: str) -> int:
        return len(text.encode("utf-8"))

    main = _MAIN.search(html)
    end = html.rindex("</main>")
    assert main is not None, "no <main>"
    parts = dict.fromkeys(PARTS, 0)
    head = html[: main.end()]
    parts["title + description"] = sum(size(m.group()) for m in _TITLE.finditer(head))
    parts["head + chrome"] = size(head) - parts["title + description"]
    parts["footer + script"] = size(html[end:])
    inner = html[main.end() : end]
    article = _ARTICLE.search(inner)
    if article:
        text = article.group()
        meta = _META_END.search(text)
        cut = meta.end() if meta else 0
        parts["article header"] = size(text[:cut])
        parts["body"] = size(text[cut:])
        inner = inner[: article.start()] + inner[article.end() :]
    for name, pattern in (("prev/next", _NAV), ("related", _RELATED)):
        found = pattern.search(inner)
        if found:
            parts[name] = size(found.group())
            inner = inner[: found.start()] + inner[found.end() :]
    parts["other"] = size(inner)
    return parts


def article_parts(site: Path) -> tuple[int, dict[str, float]]:
    """Article pages (a/*.html): how many, and their mean bytes by part."""
    totals = dict.fromkeys(PARTS, 0)
    pages = sorted((site / "a").glob("*.html"))
    for page in pages:
        for name, n in page_parts(page.read_text(encoding="utf-8")).items():
            totals[name] += n
    count = max(1, len(pages))
    return len(pages), {name: totals[name] / count for name in PARTS}


_TAG = re.compile(r"<[^>]*>")
_DESCRIPTION = re.compile(r'<meta name="description"[^>]*>')
_DATETIME = re.compile(r' datetime="[^"]*"')
_HREF = re.compile(r' href="[^"]*"')
_PREV_NEXT_TITLE = re.compile(r'rel="(?:prev|next)"[^>]*><span>[^<]*</span>([^<]*)</a>')


def anatomy(site: Path) -> dict[str, int]:
    """What the HTML pages (all but search/) are made of, and what each reader-facing thing
    the budget could only meet by dropping weighs: bytes over the whole site."""
    rows = dict.fromkeys(("HTML pages", "text between tags", "markup (tags and attributes)",
                          "href attributes", "meta descriptions", "datetime attributes", "related sections (article pages)",
                          "prev/next titles (article pages)", "reporters' lists (reporters/)"), 0)
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("search/"):
            continue
        html = path.read_text(encoding="utf-8")
        size = len(html.encode("utf-8"))
        text = sum(len(t.strip().encode("utf-8")) for t in _TAG.split(html))
        rows["HTML pages"] += size
        rows["text between tags"] += text
        rows["markup (tags and attributes)"] += size - text
        rows["meta descriptions"] += sum(len(m.encode("utf-8")) for m in _DESCRIPTION.findall(html))
        rows["datetime attributes"] += sum(len(m) for m in _DATETIME.findall(html))
        rows["href attributes"] += sum(len(m.encode("utf-8")) for m in _HREF.findall(html))
        if rel.startswith("a/"):
            related = _RELATED.search(html)
            rows["related sections (article pages)"] += len(related.group().encode("utf-8")) if related else 0
            rows["prev/next titles (article pages)"] += sum(len(t.encode("utf-8")) for t in _PREV_NEXT_TITLE.findall(html))
        if rel.startswith("reporters/"):
            rows["reporters' lists (reporters/)"] += size
    return rows


def anatomy_table(site: Path, articles: int) -> str:
    rows = anatomy(site)
    lines = ["| of the HTML pages | bytes per article |", "|---|---:|"]
    lines += [f"| {name} | {value / articles:,.0f} |" for name, value in rows.items()]
    return "\n".join(lines)


def html_kinds(kinds: list[site_kinds.Kind]) -> dict[str, tuple[int, int]]:
    """Files and bytes per kind, with the search index's kinds summed apart from the pages."""
    rows = {k.name: (k.files, k.bytes) for k in kinds}
    html = [k for k in kinds if not k.name.startswith("search")]
    rows["HTML pages (all but search/)"] = (sum(k.files for k in html), sum(k.bytes for k in html))
    rows["total"] = (sum(k.files for k in kinds), sum(k.bytes for k in kinds))
    return rows


def _ratio(before: float, after: float) -> str:
    return f"{after / before:.3f}" if before else "—"


def kinds_table(before: Path, after: Path, articles: int) -> str:
    b, a = html_kinds(site_kinds.site_kinds(before)), html_kinds(site_kinds.site_kinds(after))
    names = sorted(set(b) | set(a), key=lambda n: (n in ("total", "HTML pages (all but search/)"), -b.get(n, (0, 0))[1], n))
    lines = ["| kind | files before | files after | bytes/article before | bytes/article after | after/before |",
             "|---|---:|---:|---:|---:|---:|"]
    for name in names:
        (fb, sb), (fa, sa) = b.get(name, (0, 0)), a.get(name, (0, 0))
        bold = "**" if name.startswith("HTML") else ""
        lines.append(f"| {bold}{name}{bold} | {fb:,} | {fa:,} | {sb / articles:,.0f} | {sa / articles:,.0f} | {_ratio(sb, sa)} |")
    lines.append(f"\nfiles per article: before {b['total'][0] / articles:.3f}, after {a['total'][0] / articles:.3f}")
    return "\n".join(lines)


def parts_table(sites: list[Path], labels: list[str]) -> str:
    measured = [article_parts(s) for s in sites]
    head = " | ".join(f"{label} (bytes/page)" for label in labels)
    lines = [f"| article page part | {head} |" + (" after/before |" if len(sites) == 2 else ""),
             "|---|" + "---:|" * (len(sites) + (len(sites) == 2))]
    for name in (*PARTS, "page"):
        values = [sum(p.values()) if name == "page" else p[name] for _n, p in measured]
        ratio = f" {_ratio(values[0], values[1])} |" if len(values) == 2 else ""
        lines.append(f"| {name} | " + " | ".join(f"{v:,.0f}" for v in values) + f" |{ratio}")
    lines.append("\narticle pages: " + ", ".join(f"{label} {n:,}" for label, (n, _p) in zip(labels, measured)))
    return "\n".join(lines)


def build(src: Path, articles: Path, work: Path) -> Path:
    """A cold build of `articles` by the newsgen at `src`, in a fresh working folder `work`
    (no templates/ there: each side uses the templates of its own tree). The archive is
    linked in (hard links) as `articles/` and named so: an article's id is made from its page file's
    path as given, and the list pages are cut by id, so this is the site the README's
    `newsgen build --articles articles` makes."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(articles, work / "articles", copy_function=os.link)  # hard links: no bytes copied
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-m", "newsgen", "build", "--articles", "articles",
                    "--output", "site"], cwd=work, env=env, check=True, capture_output=True)
    return work / "site"


def count_articles(site: Path) -> int:
    return len(list((site / "a").glob("*.html")))


def compare(sizes: list[int], rev: str, out: Path) -> str:
    report = [f"before: {baseline.describe(rev)}", f"after: {baseline.working_tree()}", ""]
    print("\n".join(report), flush=True)
    with baseline.checkout(rev) as tree:
        for size in sizes:
            articles = out / f"n{size}" / "articles"
            if not articles.is_dir():
                generate.generate_archive(size, articles)
            before = build(tree / "src", articles, out / f"n{size}" / "before")
            after = build(ROOT / "src", articles, out / f"n{size}" / "after")
            n = count_articles(after)
            part = [f"## {size:,} generated articles ({n:,} article pages)", "",
                    kinds_table(before, after, n), "", parts_table([before, after], ["before", "after"]), ""]
            print("\n".join(part), flush=True)
            report += part
    return "\n".join(report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--baseline", help="git revision of the before side")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "page-bytes")
    parser.add_argument("--parts", type=Path, nargs="+", metavar="SITE", help="only the parts table of built sites")
    parser.add_argument("--anatomy", type=Path, metavar="SITE", help="text, markup and the heaviest reader-facing parts")
    args = parser.parse_args(argv)
    if args.parts:
        print(parts_table(args.parts, [str(p) for p in args.parts]))
        return 0
    if args.anatomy:
        print(anatomy_table(args.anatomy, count_articles(args.anatomy)))
        return 0
    if not args.baseline:
        parser.error("--baseline REV is needed (or --parts SITE)")
    args.out.mkdir(parents=True, exist_ok=True)
    report = compare([int(s) for s in args.sizes.split(",")], args.baseline, args.out)
    (args.out / "results.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
