"""newsgen.urls: every URL of the site, stable and safe as a file name on every OS."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen import urls
from site_samples import article

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def assert_safe_file_name(name: str) -> None:
    assert name, "empty file name"
    assert not WINDOWS_FORBIDDEN.search(name), name
    assert name not in (".", "..")
    assert not name.endswith((".", " ")), name
    assert not name.startswith(("-", ".")), name
    assert len(name.encode("utf-8")) <= 200, name
    stem = name.split(".")[0].lower()
    assert stem not in {"con", "prn", "aux", "nul", "com1", "lpt1"}, name


def test_article_url_is_a_file_under_a() -> None:
    assert urls.article_url(article("0429a0f6955e")) == "a/0429a0f6955e.html"


def test_article_url_depends_on_the_id_only() -> None:
    one = article("abc123", "标题", source="articles/p1.txt", order=0)
    moved = replace(one, title="改过的标题", source="articles/other.txt", order=7, district=None)
    assert urls.article_url(one) == urls.article_url(moved)


@pytest.mark.parametrize(
    "name",
    [
        "中原区",
        "a/b",
        "../../etc/passwd",
        "C:\\temp",
        "CON",
        "con",
        "Nul",
        "...",
        " ",
        "",
        "标题" * 200,
        'quote"s <tag> & | ? *',
        "tab\tnew\nline",
        "com1",
        "ＡＢＣ",
        "Ａ",
        "-leading",
        "trailing.",
        "e\u0301",  # decomposed é
    ],
)
def test_slugs_are_safe_file_names(name: str) -> None:
    assert_safe_file_name(urls.slug(name) + ".html")
    for path in (urls.district_url(name), urls.reporter_url(name), urls.column_url(name)):
        folder, file = path.split("/")
        assert_safe_file_name(file)


@given(st.text(min_size=0, max_size=300))
def test_any_name_gives_a_safe_stable_slug(name: str) -> None:
    slug = urls.slug(name)
    assert_safe_file_name(slug + ".html")
    assert urls.slug(name) == slug


def test_clean_names_stay_readable() -> None:
    assert urls.slug("中原区") == "中原区"
    assert urls.slug("杨丽萍") == "杨丽萍"
    assert urls.district_url("郑东新区") == "districts/郑东新区.html"


@pytest.mark.parametrize(
    "a, b",
    [("a/b", "a.b"), ("a/b", "a-b"), ("ABC", "abc"), ("Abc", "aBC"), ("x" * 100, "x" * 101), ("李/娜", "李.娜")],
)
def test_different_names_never_share_a_file(a: str, b: str) -> None:
    # Compared case-insensitively: macOS and Windows file systems are.
    assert urls.slug(a).lower() != urls.slug(b).lower()


def test_source_pages_keep_folders_apart() -> None:
    one = urls.source_url("articles/2023/01.txt")
    two = urls.source_url("articles/2024/01.txt")
    assert one != two
    # A digest of the path, never the file's name; the old readable URL ends in the same digest.
    assert one == f"pages/{urls.digest('articles/2023/01.txt')}.html"
    assert urls.legacy_source_url("articles/2023/01.txt") == f"sources/01-{urls.digest('articles/2023/01.txt')}.html"
    assert_safe_file_name(urls.source_url("articles/../../x y:z.txt").split("/")[1])


def test_every_page_path_is_a_relative_file() -> None:
    paths = [
        urls.HOME, urls.home_url(2), urls.DISTRICTS, urls.REPORTERS, urls.COLUMNS, urls.DATES, urls.UNDATED,
        urls.SOURCES, urls.SEARCH, urls.NOT_FOUND, urls.year_url(2024), urls.month_url(2024, 7),
        urls.source_url("articles/p.txt"), urls.article_url(article("x")), urls.district_url("中原区"),
    ]
    for path in paths:
        assert not path.startswith("/") and not path.endswith("/")
        assert path.endswith(".html")
    assert urls.month_url(2024, 7) == "dates/2024-07.html"
    assert urls.year_url(2024) == "dates/2024.html"
    assert urls.home_url(1) == "index.html"


@pytest.mark.parametrize(
    "from_path, to_path, expected",
    [
        ("index.html", "a/x.html", "a/x.html"),
        ("a/x.html", "a/y.html", "y.html"),
        ("a/x.html", "index.html", "../index.html"),
        ("a/x.html", "districts/中原区.html", "../districts/中原区.html"),
        ("a/x.html", "sources/p-1.html#a-x", "../sources/p-1.html#a-x"),
        ("dates/2024.html", "dates/2024-07.html", "2024-07.html"),
    ],
)
def test_rel(from_path: str, to_path: str, expected: str) -> None:
    assert urls.rel(from_path, to_path) == expected


@given(
    st.sampled_from(["index.html", "a/x.html", "dates/2024.html", "page/2.html"]),
    st.sampled_from(["index.html", "a/y.html", "districts/中原区.html", "sources/p.html#a-x"]),
)
def test_link_and_rel_reach_the_same_file(from_path: str, to_path: str) -> None:
    import posixpath
    from urllib.parse import unquote

    base = posixpath.dirname(from_path)
    for href in (urls.rel(from_path, to_path), urls.link(from_path, to_path)):
        assert not href.startswith("/")
        assert posixpath.normpath(posixpath.join(base, unquote(href))) == to_path


def test_href_encodes_what_a_url_cannot_hold() -> None:
    assert urls.href("districts/中原区.html") == "districts/中原区.html"  # an IRI: letters stay
    assert urls.href("x/中 区・.html") == "x/中%20区%E3%83%BB.html"  # other non-ASCII does not
    assert urls.href("a/x y.html#a-b") == "a/x%20y.html#a-b"
    assert urls.uri("districts/中原区.html#a b") == "districts/%E4%B8%AD%E5%8E%9F%E5%8C%BA.html#a%20b"
