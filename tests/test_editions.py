"""The archive as printed: papers → issues → printed pages (版) → articles, the calendar of
issues, print order for 上一篇/下一篇, and no page file's name anywhere a reader looks."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS
from newsgen import urls
from newsgen.config import Config
from newsgen.model import Date, Page, PageFacts
from newsgen.pipeline import build
from newsgen.render.editions import build_editions, page_order, print_key
from newsgen.render.taxonomy import neighbours
from site_samples import article, dated_seed_archive
from trees import assert_same_as_clean


def page(source: str, *, paper: str | None = "郑州日报", date: Date | None = Date(2024, 7, 5),
         number: str | None = None, name: str | None = None) -> Page:  # fmt: skip
    return Page(source, "utf-8", PageFacts(), (), paper=paper, issue_date=date, page_number=number, page_name=name)


def printed_archive() -> tuple[list, dict[str, Page]]:
    articles = [
        article("p1a", "要闻头条", source="zz/0705/01.txt"),
        article("p1b", "要闻二条", source="zz/0705/01.txt", order=1),
        article("p2a", "区街新闻", source="zz/0705/02.txt"),
        article("p10", "第十版", source="zz/0705/10.txt"),
        article("n1", "次日头条", source="zz/0706/01.txt"),
        article("u1", "无日期的版面", source="misc/x.txt", date=Date(2024, 7, 5)),
        article("w1", "晚报头条", source="wb/0705/a01.txt"),
    ]
    pages = {
        "zz/0705/01.txt": page("zz/0705/01.txt", number="01", name="要闻"),
        "zz/0705/02.txt": page("zz/0705/02.txt", number="02", name="区街新闻"),
        "zz/0705/10.txt": page("zz/0705/10.txt", number="10"),
        "zz/0706/01.txt": page("zz/0706/01.txt", date=Date(2024, 7, 6), number="01", name="要闻"),
        "misc/x.txt": page("misc/x.txt", paper=None, date=None),
        "wb/0705/a01.txt": page("wb/0705/a01.txt", paper="郑州晚报", number="A01"),
    }
    return articles, pages


def test_issues_group_pages_by_paper_and_date_in_print_order() -> None:
    articles, pages = printed_archive()
    editions = build_editions(articles, pages)
    assert [(i.paper, i.date, [p.at.number for p in i.pages]) for i in editions.issues] == [
        ("郑州日报", (2024, 7, 5), ["01", "02", "10"]),  # 2 before 10
        ("郑州日报", (2024, 7, 6), ["01"]),
        ("郑州晚报", (2024, 7, 5), ["A01"]),
    ]
    assert [p.at.label for p in editions.undated] == ["无日期的版面"]  # known by its first headline
    first = editions.issues[0].pages[0]
    assert [a.id for a in first.articles] == ["p1a", "p1b"]
    assert first.at.label == "第01版：要闻" and first.at.date_label == "2024年7月5日"
    assert editions.where["zz/0705/10.txt"].label == "第10版"
    assert editions.where["misc/x.txt"].date_label == "未注明日期"


def test_the_calendar_links_each_issue_day_of_each_paper() -> None:
    articles, pages = printed_archive()
    editions = build_editions(articles, pages)
    assert [p.name for p in editions.papers] == ["郑州日报", "郑州晚报"]
    (year,) = editions.papers[0].years
    assert (year.year, year.issues, year.path) == (2024, 2, urls.paper_year_url("郑州日报", 2024))
    (july,) = year.months
    days = {d.day: d.path for week in july.weeks for d in week if d is not None}
    assert sorted(days) == list(range(1, 32))
    assert {d for d, path in days.items() if path} == {5, 6}
    assert days[5] == urls.issue_url("郑州日报", 2024, 7, 5)
    assert july.weeks[0][0].day == 1  # 2024-07-01 is a Monday: weeks start on Monday


@given(st.integers(1950, 2100), st.integers(1, 12))
def test_month_grids_start_on_monday_and_hold_every_day(year: int, month: int) -> None:
    source = f"p/{year}{month:02d}.txt"
    editions = build_editions([article("x", source=source)], {source: page(source, date=Date(year, month, 1))})
    (grid,) = editions.papers[0].years[0].months
    cells = [d for week in grid.weeks for d in week]
    assert all(len(week) == 7 for week in grid.weeks)
    assert [d.day for d in cells if d is not None] == list(range(1, calendar.monthrange(year, month)[1] + 1))
    assert cells.index(next(d for d in cells if d is not None)) == calendar.weekday(year, month, 1)


def test_page_order_reads_numbers_as_printed() -> None:
    numbers = ["10", "02", "A03", "B01", "A12", None, "1", "A1"]
    assert sorted(numbers, key=page_order) == ["1", "02", "10", "A1", "A03", "A12", "B01", None]


def test_previous_and_next_follow_the_paper_as_printed() -> None:
    articles, pages = printed_archive()
    editions = build_editions(articles, pages)
    around = neighbours(articles, order_key=print_key(editions.where))
    # within a page, then on into the next page of the issue, then the next paper of the day
    assert around["p1a"].next.id == "p1b"
    assert around["p1b"].next.id == "p2a"
    assert around["p2a"].next.id == "p10"
    assert around["p10"].next.id == "w1"  # 郑州晚报 of the same day, then the next day
    assert around["w1"].next.id == "n1"


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    work = tmp_path_factory.mktemp("dated")
    sources = dated_seed_archive(work)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        build(Config(), output=work / "site", cwd=work, search=False, notify=lambda message: None)
    return work / "site", sources


def test_an_article_names_paper_issue_and_page_each_a_link(dated_site: tuple[Path, list[str]]) -> None:
    site, sources = dated_site
    html = (site / urls.issue_url("郑州日报", 2024, 7, 5)).read_text(encoding="utf-8")
    assert "郑州日报" in html and "2024年7月5日" in html and "星期五" in html
    assert html.count('class="count"') == 3  # three pages in the issue
    first_article = re.search(r'<ul class="headlines">\s*<li><a href="\.\./\.\./(a/[0-9a-f]+\.html)"', html).group(1)
    line = (site / first_article).read_text(encoding="utf-8")
    line = line[line.index('<dd class="printed">') :]
    line = line[: line.index("</dd>")]
    assert f'href="../{urls.ISSUES}#{urls.paper_anchor("郑州日报")}">郑州日报</a>' in line
    assert f'href="../{urls.href(urls.issue_url("郑州日报", 2024, 7, 5))}">2024年7月5日</a>' in line
    assert f'href="../{urls.source_url(sources[0])}#a-' in line and ">第01版 区街新闻</a>" in line


def test_no_page_file_name_appears_in_the_site(dated_site: tuple[Path, list[str]], tmp_path: Path) -> None:
    """Readers see papers, dates and 版, never `articles/002_d5040c997ebba622.txt`: on a site
    whose pages give their facts, and on the seeds' own site, whose pages give none."""
    seeds = tmp_path / "seeds"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(SEEDS.parent)
        build(Config(), output=seeds, cwd=SEEDS.parent, search=False, cache_dir=tmp_path / "cache",
              notify=lambda message: None)  # fmt: skip
    names = [p.name for p in SEEDS.glob("*.txt")] + [p.stem for p in SEEDS.glob("*.txt")]
    site, sources = dated_site
    for folder, forbidden in ((seeds, names), (site, [Path(s).name for s in sources] + ["2024-07-05/01"])):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".xml", ".js"}:
                text = path.read_text(encoding="utf-8")
                assert not [n for n in forbidden if n in text], path
            assert not [n for n in forbidden if n in path.name], path


def test_editions_built_incrementally_equal_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page added to an issue, a page whose header moves it to another day, a page removed:
    after each, the incremental build is byte for byte the clean one (calendar, issues,
    上一版/下一版, the articles' source lines and print order all follow)."""
    work = tmp_path / "work"
    sources = dated_seed_archive(work)
    monkeypatch.chdir(work)

    def same_as_clean() -> None:
        build(Config(), output=work / "site", cwd=work, search=False, notify=lambda message: None)
        assert_same_as_clean(work, tmp_path, Config(), search=False, notify=lambda message: None)

    same_as_clean()
    first = work / sources[0]
    added = work / "articles" / "2024-07-05" / "04.txt"
    added.write_text(first.read_text(encoding="utf-8").replace("第01版", "第04版"), encoding="utf-8")
    same_as_clean()
    assert (work / "site" / urls.issue_url("郑州日报", 2024, 7, 5)).read_text(encoding="utf-8").count("第04版") == 1
    moved = work / sources[1]
    moved.write_text(moved.read_text(encoding="utf-8").replace("2024年7月5日 星期五", "2024年7月8日 星期一"), encoding="utf-8")
    same_as_clean()
    assert (work / "site" / urls.issue_url("郑州日报", 2024, 7, 8)).is_file()
    added.unlink()
    same_as_clean()


def test_the_home_page_offers_each_papers_newest_issue(dated_site: tuple[Path, list[str]]) -> None:
    site, _ = dated_site
    home = (site / "index.html").read_text(encoding="utf-8")
    panel = home[home.index('id="sec-issues"') :]
    assert f'href="{urls.href(urls.issue_url("郑州日报", 2024, 7, 6))}">郑州日报 2024年7月6日</a>' in panel
    assert urls.issue_url("郑州日报", 2024, 7, 5) not in panel
