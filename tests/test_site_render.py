"""The render stage alone: markup, dates, taxonomies, page plans, the Jinja environment."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import urls
from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.model import Article, Block, Date
from newsgen.render import make_environment, render_page
from newsgen.render.editions import build_editions
from newsgen.render.environment import template_dirs
from newsgen.render.keys import PageKeys
from newsgen.render.markup import inline, render_blocks, safe_link
from newsgen.render.pages import PageSpec, plan_pages, shared_context
from newsgen.render.taxonomy import build_taxonomies, neighbours
from newsgen.render.text import date_iso, date_label, date_rfc3339, excerpt
from oracles.related import neighbours_by_brute_force
from site_samples import article, sample_articles

# --- markup -----------------------------------------------------------------------------


def test_raw_html_is_escaped() -> None:
    html = render_blocks((Block("paragraph", "<script>alert(1)</script> & <b>粗</b>"),))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;粗&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "text",
    [
        "[点我](javascript:alert(1))",
        "[点我](JaVaScRiPt:alert(1))",
        "[点我](  javascript:alert(1))",
        "[点我](data:text/html;base64,PHNjcmlwdD4=)",
        "[点我](vbscript:msgbox)",
        "[点我](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[点我](other.html)",
        "[点我](/absolute.html)",
    ],
)
def test_unsafe_links_stay_text(text: str) -> None:
    html = inline(text)
    assert "<a " not in html
    assert "点我" in html or "javascript" in html


def test_images_are_never_loaded() -> None:
    # An image would be a network request from every reader: it stays a plain link.
    html = inline("![图](http://example.org/x.png)")
    assert "<img" not in html and 'href="http://example.org/x.png"' in html


def test_web_and_mail_links_are_kept() -> None:
    assert '<a href="https://example.org/a">网站</a>' in inline("[网站](https://example.org/a)")
    assert '<a href="mailto:x@example.org">信</a>' in inline("[信](mailto:x@example.org)")
    assert safe_link("https://example.org") and not safe_link("https:") and not safe_link("javascript:x")


def test_block_types_keep_their_shape() -> None:
    html = render_blocks(
        (
            Block("paragraph", "1. 以数字开头"),
            Block("subhead", "# 小标题"),
            Block("brief", "简讯一"),
            Block("brief", "简讯二"),
            Block("paragraph", "> 不是引用"),
        )
    )
    assert html.count("<p>") == 2 and "<ol" not in html and "<blockquote" not in html
    assert '<h2 class="subhead"># 小标题</h2>' in html
    assert '<ul class="briefs">\n<li>简讯一</li>\n<li>简讯二</li>\n</ul>' in html


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date, label, iso",
    [
        (Date(2024, 7, 4), "2024年7月4日", "2024-07-04"),
        (Date(2024), "2024年", "2024"),
        (Date(2024, 7), "2024年7月", "2024-07"),
        (Date(None, 7, 4), "7月4日", "--07-04"),
        (Date(), "日期不详", None),
        (Date(None, None, 4), "4日", None),
    ],
)
def test_dates_are_exactly_as_precise_as_known(date: Date, label: str, iso: str | None) -> None:
    assert date_label(date) == label
    assert date_iso(date) == iso


def test_feed_dates_are_full_timestamps() -> None:
    assert date_rfc3339(Date(2024, 7, 4)) == "2024-07-04T00:00:00Z"
    assert date_rfc3339(Date(2024)) == "2024-01-01T00:00:00Z"
    assert date_rfc3339(None) == "1970-01-01T00:00:00Z"


def test_excerpt_is_short_and_from_the_body() -> None:
    a = article("x", blocks=(Block("subhead", "小标题"), Block("paragraph", "字" * 300)))
    assert excerpt(a, 50) == "字" * 49 + "…"


# --- taxonomies -------------------------------------------------------------------------


def test_taxonomies_do_not_depend_on_input_order() -> None:
    items = sample_articles()
    first = build_taxonomies(items)
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    assert build_taxonomies(shuffled) == first
    assert neighbours(shuffled) == neighbours(items)


def test_taxonomy_contents() -> None:
    tax = build_taxonomies(sample_articles())
    assert [a.id for a in tax.newest] == ["a1", "a2", "a3", "a6", "a4", "a5"]
    assert [t.name for t in tax.districts] == ["中原区", "上街区", "惠济区", "郑东新区"]  # the official order
    assert {t.name: t.count for t in tax.people} == {"杨丽萍": 2, "王伟": 1, "李/娜.": 1, "张三": 1}
    assert [y.year for y in tax.years] == [2024, 2023, 2022]
    year_2023 = tax.years[1]
    assert [a.id for a in year_2023.no_month] == ["a3"]  # year known, month not
    assert [(m.month, m.count) for m in year_2023.months] == [(3, 1)]
    assert [a.id for a in tax.undated] == ["a4", "a5"]  # month-day first, then unknown
    assert tax.no_district == 1
    edition = next(p for p in build_editions(sample_articles()).undated if p.articles[0].source == "articles/p2.txt")
    assert [a.id for a in edition.articles] == ["a2", "a3"]  # page order


def test_duplicate_ids_are_a_content_error() -> None:
    with pytest.raises(NewsgenError, match="also used"):
        build_taxonomies([article("same"), article("same", source="articles/p9.txt")])


def test_previous_next_and_related() -> None:
    around = neighbours(sample_articles())
    # reading order: 2022 a6, 2023 a3 (year only), 2023-03-01 a2, 2024 a1, then no year: a5, a4
    assert around["a1"].previous.id == "a2"
    assert around["a6"].previous is None
    assert [a.id for a in around["a1"].related] == ["a2"]  # same reporter and column
    assert all(a.id != "a1" for a in around["a1"].related)


def test_related_articles_look_at_a_window_not_at_everything() -> None:
    # 2,000 articles of one district: each looks at its 2 × window neighbours only.
    items = [article(f"id{i:05d}", date=Date(2000 + i // 365, 1 + i % 12, 1)) for i in range(2000)]
    around = neighbours(items, window=3, related=4)
    position = {a.id: i for i, a in enumerate(sorted(items, key=lambda a: a.date.sort_key()))}
    for item_id, found in around.items():
        assert 3 <= len(found.related) <= 4
        assert all(abs(position[r.id] - position[item_id]) <= 3 for r in found.related)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)),
                min_size=1, max_size=40),
       st.integers(1, 4), st.integers(1, 5))
def test_related_articles_are_the_best_scored_nearest(rows: list[tuple[int, int, int, int]], related: int,
                                                      window: int) -> None:
    names = ["杨丽萍", "王伟", "张三", ""]
    items = [
        article(f"id{i:03d}", date=Date(2020 + year, 1 + i % 12, 1), reporters=(names[person],) if names[person] else (),
                column=("要闻", "简讯", None)[column], district=("中原区", "上街区", None)[district])
        for i, (year, person, column, district) in enumerate(rows)
    ]
    around = neighbours(items, related=related, window=window)
    assert {k: [a.id for a in v.related] for k, v in around.items()} == {k: list(v[2]) for k, v in neighbours_by_brute_force(items, related=related, window=window).items()}


# --- pages and templates ----------------------------------------------------------------
_FOLDERS = st.lists(st.sampled_from(["a", "ab", "districts", "中原区", "issues", "zz", "p"]), max_size=3)


@settings(max_examples=300, deadline=None)
@given(_FOLDERS, _FOLDERS, st.sampled_from(["index.html", "x.html", "p-1.html#a-x", "中原区.html"]))
def test_the_url_filter_links_as_rel_does(page_folder: list[str], folder: list[str], name: str) -> None:
    """The `url` filter climbs only to the folder the page and the target share (`y.html`
    beside an article, not `../a/y.html`): the same href as `urls.rel`, without its relpath."""
    env = make_environment(Config(), Path.cwd())
    page, target = "/".join([*page_folder, "page.html"]), "/".join([*folder, name])
    got = env.from_string("{{ target|url }}").render(page_path=page, target=target)
    assert got == urls.rel(page, target)




def plan(items=None, config: Config | None = None, has_search: bool = False):
    config = config or Config(per_page=2)
    tax = build_taxonomies(items or sample_articles())
    return config, tax, plan_pages(config, tax, neighbours(tax.newest), has_search=has_search)


def test_page_plan_paths_are_unique_relative_files() -> None:
    _, tax, specs = plan()
    paths = [s.path for s in specs]
    assert len(paths) == len(set(paths))
    assert all(p.endswith(".html") and not p.startswith("/") for p in paths)
    assert {"index.html", "page/2.html", "page/3.html", "404.html", "dates/unknown.html"} <= set(paths)
    assert "search.html" not in paths
    assert {urls.article_url(a) for a in tax.newest} <= set(paths)


def test_home_list_stops_at_home_pages_and_points_to_the_archive(tmp_path: Path) -> None:
    config, tax, specs = plan(config=Config(per_page=2, home_pages=2))
    homes = [s for s in specs if s.template == "index.html"]
    assert [s.path for s in homes] == ["index.html", "page/2.html"]
    assert len(tax.newest) > 4  # so two pages cannot hold them all
    assert homes[-1].context["older"] == len(tax.newest) - 4 and homes[0].context["older"] == 0
    html = render_page(make_environment(config, tmp_path), homes[-1], shared_context(config, tax, asset_version="test"))
    assert f"更早的 {len(tax.newest) - 4} 篇文章" in html and 'href="../dates/index.html"' in html


def test_article_page_keys_follow_the_article_and_its_neighbours(tmp_path: Path) -> None:
    """Article pages are keyed by what their context is made from (`PageSpec.inputs`): an
    edit of one article changes its own page's key and its neighbours' pages' keys only."""
    config = Config()
    items = sample_articles()

    def article_keys(articles: list[Article]) -> dict[str, bytes]:
        tax = build_taxonomies(articles)
        keys = PageKeys(make_environment(config, tmp_path), shared_context(config, tax, asset_version="test"))
        specs = plan_pages(config, tax, neighbours(tax.newest), has_search=False)
        return {s.path: keys.key(s) for s in specs if s.template == "article.html"}

    edited = replace(items[0], title="改过的标题")
    before, after = article_keys(items), article_keys([edited, *items[1:]])
    around = neighbours(build_taxonomies(items).newest)
    linked = {urls.article_url(a) for a in items if items[0] in (around[a.id].previous, around[a.id].next, *around[a.id].related)}
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {urls.article_url(items[0])} | linked
    assert article_keys(list(reversed(items))) == before


def test_search_page_is_planned_when_its_template_exists() -> None:
    _, _, specs = plan(has_search=True)
    assert "search.html" in [s.path for s in specs]


def test_every_planned_page_renders(tmp_path: Path) -> None:
    config, tax, specs = plan()
    env = make_environment(config, tmp_path)
    shared = shared_context(config, tax, asset_version="test")
    for spec in specs:
        html = render_page(env, spec, shared)
        assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
        assert 'action="' + urls.root_prefix(spec.path) + 'search.html"' in html
        assert 'name="q"' in html
        assert "<title>" in html and 'name="description"' in html


def test_a_working_folder_template_overrides_one_file(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>自定义 404</p>{% endblock %}', encoding="utf-8"
    )
    config, tax, _ = plan()
    env = make_environment(config, tmp_path)
    shared = shared_context(config, tax, asset_version="t")
    html = render_page(env, PageSpec("404.html", "404.html", {"page_title": "x", "description": "y", "section": "404"}), shared)
    assert "自定义 404" in html and "site-header" in html  # base.html still the default one
    assert template_dirs(config, tmp_path)[0] == (tmp_path / "templates").resolve()


def test_template_errors_name_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ nope.x }}\n{% endblock %}')
    config, tax, _ = plan()
    env = make_environment(config, tmp_path)
    with pytest.raises(NewsgenError) as caught:
        render_page(env, PageSpec("404.html", "404.html", {"page_title": "x", "description": "y", "section": "404"}),
                    shared_context(config, tax, asset_version="t"))
    assert caught.value.source and caught.value.source.endswith("404.html")
    assert caught.value.line == 3


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中文，。“”（）()\"'  \u3000\t-+=#.:/;?%$@^|{}~0123abcXYZ*_[]<>&!`\\\n")), max_size=40))
def test_plain_text_fast_path_renders_as_markdown_it(text: str) -> None:
    from newsgen.render import markup

    assert markup.inline(text) == markup._MD.renderInline(text).strip()
