"""Page furniture on real seed pages: never a headline, subhead or text; kept, located, and
the page header's facts become the page's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loader_helpers import counted, exported_characters, page_from_text
from newsgen import urls
from newsgen.config import Config
from newsgen.extract.furniture import kind_of
from newsgen.model import Date, Page
from newsgen.pipeline import build
from test_pdf_layout import as_pdf, headings_of

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in (ROOT / "articles").glob("*.txt")}


def summary(page: Page) -> list[tuple[object, ...]]:
    """What furniture must not change. Photographers may grow: a photo credit or a
    caption's `（记者 X 摄）` credits its picture to the article it stands in. An article
    the text gives no date takes the header's issue date: its own date is still none."""
    return [
        (a.column, a.kicker, a.title, a.subtitle, a.byline, a.reporters, a.correspondents,
         (None, None) if a.date.from_issue else (a.date.month, a.date.day), a.district,
         [(b.type, b.text) for b in a.blocks])
        for a in page.articles
    ]  # fmt: skip


def assert_credited(page: Page, original: Page) -> None:
    """Only the credits' people join the photographers."""
    for article, before in zip(page.articles, original.articles):
        assert article.photographers[: len(before.photographers)] == before.photographers
        assert set(article.photographers[len(before.photographers) :]) <= {"张三", "王五"}
    assert any(a.photographers for a in page.articles)


def furnished(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The page with a header, photo credits and captions after some paragraphs, a jump line
    before some headlines, an editors' line and a page number; and where each went."""
    out = ["郑州日报 2024年7月5日 星期五 第06版：区街新闻", ""]
    kinds = [(1, "header")]
    paragraphs = 0
    for raw in text.split("\n"):
        if raw.startswith("#") and paragraphs:
            out.append("下转第3版")
            kinds.append((len(out), "jump"))
        out.append(raw)
        if len(raw) > 60:
            paragraphs += 1
            if paragraphs % 3 == 1:
                out += ["本报记者 张三 摄"]
                kinds.append((len(out), "photo-credit"))
            elif paragraphs % 3 == 2:
                out += ["图为活动现场。（记者 王五 摄）"]
                kinds.append((len(out), "caption"))
    out += ["责任编辑 张三 校对 李四 美编 王五", "6"]
    kinds += [(len(out) - 1, "editor"), (len(out), "page-number")]
    return "\n".join(out) + "\n", kinds


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_furniture_changes_no_article(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    text, kinds = furnished(SEEDS[key])
    page = page_from_text(tmp_path, text, "b.txt")
    assert summary(page) == summary(original)
    assert_credited(page, original)
    assert [(f.line, f.kind) for f in page.furniture] == kinds
    assert exported_characters(page) == counted(text)
    assert (page.paper, page.issue_date, page.page_number, page.page_name) == (
        "郑州日报", Date(2024, 7, 5), "06", "区街新闻",
    )  # fmt: skip


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_furniture_in_a_pdf_text_layer(tmp_path: Path, key: str) -> None:
    original = page_from_text(tmp_path, SEEDS[key], "a.txt")
    text, _ = furnished(as_pdf(SEEDS[key], headings_of(original), 16, "\u3000\u3000"))
    page = page_from_text(tmp_path, text, "b.txt")
    plain = page_from_text(tmp_path, as_pdf(SEEDS[key], headings_of(original), 16, "\u3000\u3000"), "c.txt")
    assert [a.byline for a in page.articles] == [a.byline for a in plain.articles]
    assert [b.text for a in page.articles for b in a.blocks] == [b.text for a in plain.articles for b in a.blocks]
    assert exported_characters(page) == counted(text)


@pytest.mark.parametrize(
    "line,kind",
    [
        ("郑州日报 2024年7月5日 星期五 第06版：区街新闻", "header"),
        ("第A03版：要闻", "header"),
        ("2024年7月5日 第6版", "header"),
        ("责任编辑 张三 校对 李四 美编 王五", "editor"),
        ("本版编辑：张三  校对：李四", "editor"),
        ("下转第3版", "jump"),
        ("（上接第1版）", "jump"),
        ("本报记者 张三 摄", "photo-credit"),
        ("图为签约仪式现场。", "caption"),
        ("志愿者为居民提供服务。（记者 王明明 摄）", "caption"),
        ("6", "page-number"),
        ("- 12 -", "page-number"),
        ("记者 马燕 王阳 通讯员 李盼 文/图", None),  # a byline with its photo credit: the story's
        ("活动现场拍摄", None),
        ("会议要求,要坚持政治为先。", None),
        ("第十七届杏花节开幕", None),
    ],
)
def test_kinds(line: str, kind: str | None) -> None:
    assert kind_of(line) == kind


def test_check_lists_furniture_with_file_and_line(tmp_path: Path) -> None:
    text, kinds = furnished(SEEDS["004"])
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "check", "--articles", "page.txt"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "page: 郑州日报 · 2024-7-5 · 第06版 · 区街新闻" in result.stdout
    for line, kind in kinds:
        assert f"page.txt:{line}: furniture ({kind}):" in result.stdout


def test_a_headline_printed_twice_is_kept_once(tmp_path: Path) -> None:
    lines = SEEDS["002"].split("\n")
    at = lines.index("金水区新签约一批项目大单")
    doubled = "\n".join(lines[: at + 1] + lines[at : at + 1] + lines[at + 1 :])
    page = page_from_text(tmp_path, doubled)
    original = page_from_text(tmp_path, SEEDS["002"], "a.txt")
    assert summary(page) == summary(original)
    assert [(f.line, f.kind) for f in page.furniture] == [(at + 2, "duplicate")]
    assert any(d.code == "duplicate-headline" and d.line == at + 2 for d in page.diagnostics)
    assert exported_characters(page) == counted(doubled)


def test_export_pages_gives_each_page_its_header_and_furniture(tmp_path: Path) -> None:
    """`newsgen export --pages`: the page's header facts, every furniture line with its line
    and kind, and as many articles as the article records."""
    text, kinds = furnished(SEEDS["004"])
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p.txt").write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = [sys.executable, "-m", "newsgen", "export"]
    pages = subprocess.run([*run, "--pages"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    (record,) = [json.loads(line) for line in pages.stdout.splitlines()]
    assert (record["source"], record["paper"], record["issue_date"], record["page"], record["page_name"]) == (
        "articles/p.txt", "郑州日报", "2024-07-05", "06", "区街新闻",
    )  # fmt: skip
    assert [(f["line"], f["kind"]) for f in record["furniture"]] == kinds
    articles = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert len(articles.stdout.splitlines()) == record["articles"]


def test_the_site_shows_each_pages_furniture_on_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Furniture is kept and shown: the 版面 page of a page file lists every furniture line,
    with what kind it is, after the page's stories."""
    text, kinds = furnished(SEEDS["004"])
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "p.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "site"
    build(Config(), output=out, cwd=tmp_path, search=False, notify=lambda message: None)
    edition = out / urls.source_url("articles/p.txt")
    html = edition.read_text(encoding="utf-8")
    shown = html[html.index('<section class="furniture"') :]
    lines = text.split("\n")
    for line, kind in kinds:
        assert f"{lines[line - 1]}</li>" in shown
    assert shown.count("<li>") == len(kinds)
    assert '<span class="furniture-kind">版头</span>' in shown and '<span class="furniture-kind">编辑</span>' in shown
