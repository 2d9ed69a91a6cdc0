"""What each page file is — paper, issue date, 版次, 版名 — from its facts, its header line
and its path, strongest first; on real seed text."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.config import Config, FactRule, PathPattern, PatternError, config_from_mapping, load_config
from newsgen.errors import NewsgenError
from newsgen.extract import extract_page
from newsgen.extract.pagefacts import with_issue_date
from newsgen.load import read_page
from newsgen.load.pathfacts import RULES, path_facts
from newsgen.model import Date, Page, PageFacts

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "articles").glob("*.txt"))}
HEADER = "郑州日报 2024年7月5日 星期五 第06版：区街新闻"
JULY_5 = Date(2024, 7, 5)


def facts_of(page: Page) -> tuple[object, ...]:
    return (page.paper, page.issue_date, page.page_number, page.page_name)


def read(tmp_path: Path, name: str, text: str, config: Config | None = None) -> Page:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return extract_page(read_page(path, config or Config()))


# The path rules, one row per form: the path, and what it says (paper, date, 版次, 版名).
PATH_FORMS = [
    ("articles/2024-07-05/06.txt", (None, JULY_5, "06", None)),
    ("articles/2024-07-05/06-区街新闻.txt", (None, JULY_5, "06", "区街新闻")),
    ("articles/20240705/A06.txt", (None, JULY_5, "A06", None)),
    ("articles/20240705/A06-区街新闻.md", (None, JULY_5, "A06", "区街新闻")),
    ("articles/2024/07/05/06.txt", (None, JULY_5, "06", None)),
    ("articles/2024/07/05/06-区街新闻.txt", (None, JULY_5, "06", "区街新闻")),
    ("articles/20240705_06.txt", (None, JULY_5, "06", None)),
    ("articles/zzrb20240705006.txt", ("zzrb", JULY_5, "06", None)),
    ("/abs/archive/2024-07-05/112.txt", (None, JULY_5, "112", None)),
    # no facts: a generic name, an impossible date, a date without a page, a page without a date
    ("articles/002_d5040c997ebba622.txt", (None, None, None, None)),
    ("articles/000123_0429a0f6955e58f0.txt", (None, None, None, None)),
    ("articles/20241345/06.txt", (None, None, None, None)),
    ("articles/20230229_01.txt", (None, None, None, None)),
    ("articles/2024-07-05/page.txt", (None, None, None, None)),
    ("articles/2024-07-05/0006.txt", (None, None, None, None)),
    ("articles/06.txt", (None, None, None, None)),
    ("articles/x2024-07-05/06.txt", (None, None, None, None)),
    ("articles/zzrb2024070506.txt", (None, None, None, None)),
]


@pytest.mark.parametrize(("source", "expected"), PATH_FORMS)
def test_path_forms(source: str, expected: tuple[object, ...]) -> None:
    facts = path_facts(source)
    assert (facts.paper, facts.date, facts.page, facts.page_name) == expected


def test_every_rule_reads_its_own_example() -> None:
    for example, pattern in RULES:
        facts = PathPattern.compile(pattern).facts("articles/" + example)
        assert facts is not None and facts.date == JULY_5 and facts.page in ("06", "A06"), example


def test_the_seeds_get_no_path_facts() -> None:
    for path in SEEDS.values():
        assert path_facts(f"articles/{path.name}") == PageFacts()


FORMS = [
    lambda d, page: f"{d:%Y-%m-%d}/{page:02d}.txt",
    lambda d, page: f"{d:%Y%m%d}/{page:02d}.txt",
    lambda d, page: f"{d:%Y/%m/%d}/{page:02d}-要闻.txt",
    lambda d, page: f"{d:%Y%m%d}_{page:02d}.txt",
    lambda d, page: f"zzrb{d:%Y%m%d}{page:03d}.txt",
]


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.integers(min_value=1, max_value=99),
    st.sampled_from(range(len(FORMS))),
)
def test_any_date_in_any_form_reads_back(day: datetime.date, page: int, form: int) -> None:
    facts = path_facts("archive/" + FORMS[form](day, page))
    assert facts.date == Date(day.year, day.month, day.day)
    assert facts.page == f"{page:02d}"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1000, max_value=9999), st.integers(0, 99), st.integers(0, 99))
def test_only_real_dates_are_read(year: int, month: int, day: int) -> None:
    try:
        real = datetime.date(year, month, day) and 1800 <= year <= 2200
    except ValueError:
        real = False
    facts = path_facts(f"archive/{year:04d}{month:02d}{day:02d}_06.txt")
    assert (facts.date is not None) == bool(real)


def test_a_configured_pattern_reads_other_naming(tmp_path: Path) -> None:
    config = config_from_mapping({"pages": "{paper}/{date:%Y%m%d}/{page}.txt"}, "newsgen.yaml")
    seed = SEEDS["000"].read_text(encoding="utf-8")
    page = read(tmp_path, "郑州日报/20240705/3.txt", seed, config)
    assert facts_of(page) == ("郑州日报", JULY_5, "03", None)
    # The 版 and the paper come with every article; the year of its 7月4日 from the issue.
    assert {a.paper for a in page.articles} == {"郑州日报"}
    assert page.articles[0].date == Date(2024, 7, 4)


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{date}/{page}.txt", "needs its format"),
        ("{date:%Y%m}/{page}.txt", "%Y, %m and %d"),
        ("{day:%d}/{page}.txt", "unknown field {day}"),
        ("{page}/{page}.txt", "{page} appears twice"),
        ("{page:4}.txt", "unknown format for page"),
        ("{paper/{page}.txt", "a lone '{'"),
        ("static.txt", "gives no facts"),
    ],
)
def test_a_bad_pattern_is_refused_at_config_load_with_file_and_line(tmp_path: Path, pattern: str, problem: str) -> None:
    config = tmp_path / "newsgen.yaml"
    config.write_text(f"title: 档案\npages:\n  - '{{date:%Y-%m-%d}}/{{page}}.txt'\n  - '{pattern}'\n", encoding="utf-8")
    with pytest.raises(NewsgenError) as raised:
        load_config(config)
    message = str(raised.value)
    assert message.startswith(f"{config.as_posix()}:2:") and "pages pattern 2" in message and problem in message
    with pytest.raises(PatternError):
        PathPattern.compile(pattern)


def test_precedence_facts_then_header_then_path(tmp_path: Path) -> None:
    seed = SEEDS["003"].read_text(encoding="utf-8")
    plain = read(tmp_path, "a/2024-07-06/07-社区.txt", seed)
    assert facts_of(plain) == (None, Date(2024, 7, 6), "07", "社区")
    headed = read(tmp_path, "b/2024-07-06/07-社区.txt", HEADER + "\n\n" + seed)
    assert facts_of(headed) == ("郑州日报", JULY_5, "06", "区街新闻")
    front = "---\npaper: 郑州晚报\ndate: 2024-07-08\npage: 2\npage_name: 综合\n---\n"
    fronted = read(tmp_path, "c/2024-07-06/07-社区.txt", front + HEADER + "\n\n" + seed)
    assert facts_of(fronted) == ("郑州晚报", Date(2024, 7, 8), "02", "综合")
    rule = FactRule((tmp_path / "d").as_posix(), PageFacts(paper="中原报", date=Date(2024, 1, 2), page="A01"))
    configured = read(tmp_path, "d/2024-07-06/07-社区.txt", HEADER + "\n\n" + seed, Config(facts=(rule,)))
    assert facts_of(configured) == ("中原报", Date(2024, 1, 2), "A01", "区街新闻")


def test_a_conflict_is_a_note_naming_file_and_line(tmp_path: Path) -> None:
    seed = SEEDS["000"].read_text(encoding="utf-8")
    page = read(tmp_path, "zzrb/2024-07-05/07.txt", HEADER + "\n\n" + seed)
    assert page.page_number == "06"
    notes = [d for d in page.diagnostics if d.severity == "note"]
    assert [(d.code, d.line) for d in notes] == [("page-fact-conflict", 1)]
    assert str(notes[0]).endswith(
        "07.txt:1: note: 版次: its page header says 06, its path 07; kept 06 [page-fact-conflict]"
    )
    # The same page written two ways (第6版, 06.txt) and a path's paper code are no conflict.
    agreeing = read(tmp_path, "zzrb20240705006.txt", HEADER.replace("第06版", "第6版") + "\n\n" + seed)
    assert [d for d in agreeing.diagnostics if d.severity == "note"] == []
    # Front matter against the path: the line of the fact in the front matter.
    fronted = read(tmp_path, "x/2024-07-05/07.txt", "---\npaper: 郑州日报\npage: 5\n---\n" + seed)
    assert [(d.line, d.message) for d in fronted.diagnostics if d.severity == "note"] == [
        (3, "版次: its front matter or config says 05, its path 07; kept 05")
    ]


def test_a_year_fact_against_the_issue_date_is_a_note(tmp_path: Path) -> None:
    seed = SEEDS["001"].read_text(encoding="utf-8")
    page = read(tmp_path, "p/2023-07-19/03.txt", "---\nyear: 2022\n---\n" + seed)
    assert page.issue_date == Date(2023, 7, 19) and page.articles[0].date == Date(2023, 5, 30)
    (note,) = [d for d in page.diagnostics if d.severity == "note"]
    assert note.line is None and note.message == "year: its facts say 2022, its issue date is 2023-07-19; kept 2023-07-19"
    agreeing = read(tmp_path, "q/2022-06-01/03.txt", "---\nyear: 2022\n---\n" + seed)
    assert not [d for d in agreeing.diagnostics if d.severity == "note"]


def test_issue_date_gives_the_year_and_the_undated_their_date() -> None:
    issue = Date(2025, 1, 2)
    assert with_issue_date(Date(None, 12, 30), issue) == Date(2024, 12, 30)
    assert with_issue_date(Date(None, 1, 1), issue) == Date(2025, 1, 1)
    assert with_issue_date(Date(None, 2, 29), Date(2024, 3, 1)) == Date(2024, 2, 29)
    assert with_issue_date(Date(2023, 7, 14), issue) == Date(2023, 7, 14)  # its own year stays
    assert with_issue_date(Date(None, None, 9), issue) == Date(2025, None, 9)
    assert with_issue_date(Date(), issue) == Date(2025, 1, 2, from_issue=True)


def test_articles_of_a_dated_page_on_seed_text(tmp_path: Path) -> None:
    """Seed 003's undated stories (新春伊始) take the issue's date, marked, its dated ones keep
    their own with the issue's year; seed 004's 7月14日 keeps the 2023 its text states;
    seed 000's 7月4日 gets the issue's year, not inferred."""
    text = SEEDS["003"].read_text(encoding="utf-8")
    plain = read(tmp_path, "plain.txt", text)
    issued = read(tmp_path, "p/2024-03-08/05.txt", text)
    assert any(not a.date.known for a in plain.articles)
    for before, after in zip(plain.articles, issued.articles, strict=True):
        if before.date.known:
            assert after.date == Date(2024, before.date.month, before.date.day)
        else:
            assert after.date == Date(2024, 3, 8, from_issue=True)
    assert any(d.code == "no-date" for d in plain.diagnostics)
    assert not any(d.code == "no-date" for d in issued.diagnostics)
    stated = read(tmp_path, "p/2024-07-15/01.txt", SEEDS["004"].read_text(encoding="utf-8"))
    assert stated.articles[0].date == Date(2023, 7, 14)
    dated = read(tmp_path, "p/2024-07-05/01.txt", SEEDS["000"].read_text(encoding="utf-8"))
    assert dated.articles[0].date == Date(2024, 7, 4, year_inferred=False)


def test_export_gives_each_article_its_pages_facts(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "2024-07-05"
    folder.mkdir(parents=True)
    (folder / "06.txt").write_text(HEADER + "\n\n" + SEEDS["002"].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "articles" / "plain.txt").write_text(SEEDS["001"].read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "newsgen", "export"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines()]
    facts = {(r["source"], r["paper"], r["issue_date"], r["page"], r["page_name"]) for r in records}
    assert facts == {
        ("articles/2024-07-05/06.txt", "郑州日报", "2024-07-05", "06", "区街新闻"),
        ("articles/plain.txt", None, None, None, None),
    }


def test_check_reports_the_conflict(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "2024-07-05"
    folder.mkdir(parents=True)
    (folder / "07.txt").write_text(HEADER + "\n\n" + SEEDS["002"].read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "newsgen", "check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "articles/2024-07-05/07.txt:1: note: 版次: its page header says 06, its path 07" in done.stdout
    assert "page: 郑州日报 · 2024-7-5 · 第06版 · 区街新闻" in done.stdout
    assert "1 note (1 page-fact-conflict)" in done.stdout.splitlines()[-1]


def test_the_readmes_config_example_loads(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Configuration: `newsgen.yaml`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "newsgen.yaml").write_text(example, encoding="utf-8")
    config = load_config(tmp_path / "newsgen.yaml")
    assert config.facts_for("articles/2024/0705-p06.txt").page == "06"
    assert path_facts("a/郑州日报/20240705/6.txt", config.pages) == PageFacts("郑州日报", date=JULY_5, page="06")


def test_a_misprinted_header_date_is_no_date(tmp_path: Path) -> None:
    """2024年2月30日 is no issue date: the path's date stands, and no conflict is noted."""
    seed = SEEDS["000"].read_text(encoding="utf-8")
    page = read(tmp_path, "p/2024-07-05/06.txt", HEADER.replace("7月5日", "2月30日") + "\n\n" + seed)
    assert facts_of(page) == ("郑州日报", JULY_5, "06", "区街新闻")
    assert not [d for d in page.diagnostics if d.severity == "note"]
    assert page.furniture[0].kind == "header"  # still the page's header line, kept
