"""`newsgen build`: the whole flow, the written files, atomic replacement, determinism."""

from __future__ import annotations

import gc
import json
import io
import os
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from newsgen import urls
from newsgen.index import stage as search_stage
from newsgen.runtime import collector
from newsgen.pipeline import build
from newsgen.cli import main
from newsgen.commands.build import ProgressBar
from newsgen.config import Config
from newsgen.errors import NewsgenError, UsageError
from newsgen.model import Block, Date
from newsgen.write.linkcheck import check_site
from site_samples import article, sample_articles
from trees import digest_tree

ROOT = Path(__file__).resolve().parents[1]



def make(tmp_path: Path, items=None, config: Config | None = None, name: str = "site"):
    out = tmp_path / name
    result = build(config or Config(title="测试档案"), output=out, articles=items or sample_articles(), cwd=tmp_path, search=False)
    return out, result


def test_build_writes_every_page(tmp_path: Path) -> None:
    out, result = make(tmp_path)
    files = digest_tree(out)
    assert result.articles == 6
    assert result.pages == sum(1 for f in files if f.endswith(".html"))
    for a in sample_articles():
        assert urls.article_url(a) in files
    for path in ("index.html", "404.html", "feed.xml", "assets/site.css", "districts/index.html",
                 "reporters/index.html", "columns/index.html", "dates/index.html", "dates/unknown.html",
                 "issues/index.html", "dates/2024-07.html", "dates/2023.html"):
        assert path in files, path
    assert "sitemap.xml" not in files  # no site URL: a sitemap needs absolute URLs
    assert not list(tmp_path.glob("site.tmp-*")) and not list(tmp_path.glob("site.old-*"))


def test_a_build_hands_the_garbage_collector_back_as_it_found_it(tmp_path: Path) -> None:
    """A build collects rarely and freezes what it keeps (`newsgen.runtime.collector`); a process that
    goes on after it (`newsgen serve`) gets the collector back with nothing left frozen, and
    a caller's own frozen objects stay frozen."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    make(tmp_path)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen
    gc.freeze()
    try:
        with collector.for_build():
            assert gc.get_threshold()[0] >= collector.YOUNG_THRESHOLD
            collector.keep_alive()
        assert gc.get_threshold() == thresholds and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_keeping_collects_nothing_and_freezes_what_it_made() -> None:
    """`collector.keeping()`: no collection while the build makes what it keeps, then all of it
    frozen; the collector is on again afterwards only if it was on before."""
    assert gc.isenabled()
    try:
        with collector.for_build():
            with collector.keeping():
                assert not gc.isenabled()
                made = [[i] for i in range(1000)]
            assert gc.isenabled() and gc.get_freeze_count() >= len(made)
            gc.disable()
            with collector.keeping():
                pass
            assert not gc.isenabled()
    finally:
        gc.enable()
    assert gc.get_freeze_count() == 0


def _chunk_reports_collector(paths: list[Path], *_: object) -> list[bool]:
    return [gc.isenabled()] * len(paths)


def test_extraction_workers_collect_although_the_loading_parent_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked while the parent loads (collector off) must collect: extraction makes
    cyclic garbage, and a cold build of 100,000 articles would keep all of it."""
    from newsgen.extract import archive

    monkeypatch.setattr(archive, "_extract_chunk", _chunk_reports_collector)
    paths = [Path("page.txt")] * archive.PARALLEL_THRESHOLD
    with collector.for_build(), collector.keeping():
        found = archive._extract_all(paths, Config(), 2, [None] * len(paths), None)
    assert found == [True] * len(paths)


def test_no_broken_or_absolute_internal_links(tmp_path: Path) -> None:
    out, _ = make(tmp_path, config=Config(per_page=2))
    # built with search=False: the search page and the article pages' search/mark.js are not written
    assert check_site(out, allow_missing=frozenset({"search.html", "search/mark.js"})) == []


def test_link_checker_finds_what_it_should(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="/abs.html">1</a><a href="sub/">2</a><a href="missing.html">3</a><a href="javascript:x()">4</a>'
        '<a href="https://example.org/site/a.html">5</a><a href="#nowhere">6</a><a href="https://other.org/">ok</a>'
        '<a href="index.html#top" id="top">ok</a><a href="../up.html">7</a>'
    )
    problems = check_site(tmp_path, site_url="https://example.org/site/")
    assert {(p.target, p.reason) for p in problems} == {
        ("../up.html", "leaves the site"),
        ("/abs.html", "absolute path"),
        ("https://example.org/site/a.html", "absolute link to the site itself"),
        ("#nowhere", "no such anchor on this page"),
        ("javascript:x()", "javascript: link"),
        ("missing.html", "no such file"),
        ("sub/", "points at a folder, not a file"),
    }


def test_same_input_same_bytes_whatever_the_order(tmp_path: Path) -> None:
    items = sample_articles()
    first, _ = make(tmp_path, items, name="one")
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    second, _ = make(tmp_path, shuffled, name="two")
    assert digest_tree(first) == digest_tree(second)


def test_same_seeds_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "newsgen", "build", "--output", str(out)],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )
        outputs.append(digest_tree(out))
    assert outputs[0] == outputs[1]
    assert any(name.startswith("a/") for name in outputs[0])


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    out, _ = make(tmp_path)
    before = digest_tree(out)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "article.html").write_text("{% extends 'base.html' %}{% block content %}{{ missing.thing }}{% endblock %}")
    with pytest.raises(NewsgenError, match="template error"):
        make(tmp_path, sample_articles() + [article("new")])
    assert digest_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".newsgen-cache", "site", "templates"]


def test_a_failed_build_stops_the_search_stage_quietly(tmp_path: Path) -> None:
    """A template error while the search stage's workers are busy: the one error line, exit
    code 1, and no traceback from those workers (they are stopped with their parent)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for copy in range(60):  # about 1,900 articles: the search stage cuts them in a pool
        for seed in sorted((ROOT / "articles").glob("*.txt")):
            shutil.copy(seed, folder / f"{copy:02d}_{seed.name}")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "list.html").write_text("{{ nope(\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--articles", "articles", "--jobs", "2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"newsgen: error: {tmp_path / 'templates' / 'list.html'}:1: template error: unexpected 'end of template'"
    ]
    assert not (tmp_path / "site").exists()


def _sleep_in_a_pool(marker: str) -> None:
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.apply(_note_pid_and_sleep, (marker,))


def _note_pid_and_sleep(marker: str) -> None:
    import time

    Path(marker).write_text(str(os.getpid()))
    time.sleep(60)


def test_cancelling_a_background_stage_stops_the_processes_it_forked(tmp_path: Path) -> None:
    """What the search stage forks (its pool) goes with it when a failed build cancels it."""
    import time

    from newsgen.runtime import Background

    marker = tmp_path / "worker.pid"
    job = Background(lambda: _sleep_in_a_pool(str(marker))).start()
    for _ in range(200):
        if marker.exists() and marker.read_text():
            break
        time.sleep(0.05)
    worker = int(marker.read_text())
    job.cancel()

    def alive(pid: int) -> bool:
        try:  # a zombie (dead, not yet reaped by whoever inherited it) is not alive
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    for _ in range(100):
        if not alive(worker):
            break
        time.sleep(0.05)
    else:
        os.kill(worker, 9)
        pytest.fail("the pool's worker outlived the cancelled stage")


def test_an_interrupted_build_leaves_the_previous_site(tmp_path: Path) -> None:
    out, _ = make(tmp_path)
    before = digest_tree(out)

    def interrupt(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(Config(title="测试档案"), output=out, articles=sample_articles()[:2], cwd=tmp_path, progress=interrupt, search=False)
    assert digest_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".newsgen-cache", "site"]


def test_a_rebuild_replaces_the_site_and_drops_stale_pages(tmp_path: Path) -> None:
    out, _ = make(tmp_path)
    (out / "stale.html").write_text("old")
    make(tmp_path, sample_articles()[:2])
    files = digest_tree(out)
    assert "stale.html" not in files and "a/a1.html" in files and "a/a5.html" not in files
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_permalinks_survive_other_pages_changing(tmp_path: Path) -> None:
    items = sample_articles()
    first, _ = make(tmp_path, items, name="one")
    changed = [replace(items[0], title="改了标题")] + items[2:] + [article("zz", source="articles/p0.txt")]
    second, _ = make(tmp_path, changed, name="two")
    for a in changed[1:-1]:
        assert (first / urls.article_url(a)).exists() and (second / urls.article_url(a)).exists()
    assert (second / urls.article_url(items[0])).exists()


@pytest.mark.parametrize("output", [".", "..", "articles", "articles/.."])
def test_refuses_to_replace_the_users_own_files(tmp_path: Path, output: str) -> None:
    work = tmp_path / "work"
    (work / "articles").mkdir(parents=True)
    with pytest.raises(UsageError, match="refusing"):
        build(Config(), output=work / output, articles=sample_articles(), cwd=work, search=False)


def test_markup_in_source_text_is_shown_not_run(tmp_path: Path) -> None:
    evil = article(
        "evil",
        "<script>alert(1)</script>标题",
        kicker="<img src=x onerror=alert(2)>",
        reporters=("<b>记者</b>",),
        district="<i>区</i>",
        column='"><script>alert(3)</script>',
        blocks=(Block("paragraph", "<script>alert(4)</script>[链接](javascript:alert(5))"),),
    )
    out, _ = make(tmp_path, [evil])
    for path in digest_tree(out):
        if path.endswith((".html", ".xml")):
            text = (out / path).read_text(encoding="utf-8")
            # the 404 page's own scripts (they find the site's root, then write the stylesheet
            # link) are the only ones
            assert "<script>alert" not in text and text.count("<script>") == (2 if path == "404.html" else 0), path
            assert "<img" not in text and "<b>" not in text and "<i>" not in text, path
            assert 'href="javascript' not in text, path
    page = (out / "a/evil.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page
    assert "[链接](javascript:alert(5))" in page


def test_feed_and_sitemap(tmp_path: Path) -> None:
    config = Config(title="测试档案", site_url="https://example.org/repo/")
    out, _ = make(tmp_path, config=config)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2024-07-04T00:00:00Z</updated>" in feed  # the newest article's date, not the clock
    assert '<link rel="alternate" type="text/html" href="https://example.org/repo/a/a1.html"/>' in feed
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/repo/a/a1.html</loc>" in sitemap
    assert "https://example.org/repo/districts/%E4%B8%AD%E5%8E%9F%E5%8C%BA.html" in sitemap
    assert "404.html" not in sitemap
    not_found = (out / "404.html").read_text(encoding="utf-8")
    assert 'var known = "/repo/"' in not_found  # where its script finds the site's root
    assert check_site(out, site_url=config.site_url, allow_missing=frozenset({"search.html", "search/mark.js"})) == []
    import xml.dom.minidom

    xml.dom.minidom.parseString(feed.encode())
    xml.dom.minidom.parseString(sitemap.encode())


def test_feed_without_a_site_url_has_relative_links(tmp_path: Path) -> None:
    undated = [article("u", date=Date())]
    out, _ = make(tmp_path, undated)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert 'href="a/u.html"' in feed and "<updated>1970-01-01T00:00:00Z</updated>" in feed


def test_search_stage_gets_every_article_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class SearchIndex:  # runs in the build's background process: it reports through its file
        def __init__(self, articles, urls_by_id, *, jobs, cache_dir, previous):
            self.call = {"ids": sorted(a.id for a in articles), "urls": dict(urls_by_id), "cache": str(cache_dir)}
            self.stats = {"articles": len(articles)}
            self.kept = []

        def files(self):
            yield "search/call.json", json.dumps(self.call).encode()

    monkeypatch.setattr(search_stage, "SearchIndex", SearchIndex)
    out = tmp_path / "site"
    result = build(Config(), output=out, articles=sample_articles(), cwd=tmp_path)
    call = json.loads((out / "search" / "call.json").read_text())
    assert call["ids"] == sorted(a.id for a in sample_articles())
    assert call["urls"] == {a.id: urls.article_url(a) for a in sample_articles()}
    assert call["cache"] == str(tmp_path / ".newsgen-cache" / "search")
    assert result.search == {"articles": 6}


def test_a_search_stage_error_fails_the_build_and_keeps_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = make(tmp_path)
    before = digest_tree(out)

    class SearchIndex:
        def __init__(self, articles, urls_by_id, *, jobs, cache_dir, previous):
            raise NewsgenError("the search stage failed", "articles/p1.txt", 3)

    monkeypatch.setattr(search_stage, "SearchIndex", SearchIndex)
    with pytest.raises(NewsgenError, match="search stage failed") as caught:
        build(Config(title="另一个标题"), output=out, articles=sample_articles(), cwd=tmp_path)
    assert caught.value.source == "articles/p1.txt" and caught.value.line == 3
    assert digest_tree(out) == before


def test_cli_build_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--base-url", "https://example.org/x"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsgen: built ") and " files written (full build) in " in lines[0]
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    assert (out / "sitemap.xml").exists()
    assert "https://example.org/x/index.html" in (out / "sitemap.xml").read_text()


def test_cli_build_timings_split_the_build_by_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--timings`: one line per stage on stderr, the rest of the time as "(other)", the total,
    then the peak memory of the build's process and of its largest child; a rebuild with
    nothing changed shows only the stages it ran."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    cache = ["--output", str(out)]
    assert main(["build", *cache, "--timings"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 1
    lines = captured.err.strip().splitlines()
    timed = [line.rsplit(None, 2) for line in lines if line.endswith(" s")]
    memory = [line.rsplit(None, 2) for line in lines if line.endswith(" MiB")]
    assert len(timed) + len(memory) == len(lines) and all(line.endswith(" MiB") for line in lines[-2:])
    stages = [name for name, _, _ in timed]
    assert stages[-2:] == ["(other)", "total"]
    assert [name for name, _, _ in memory] == ["peak RSS, this process", "peak RSS, largest child"]
    assert float(memory[0][1]) > 0
    for stage in ("load", "taxonomies", "related articles", "page plan", "page keys"):
        assert stage in stages
    assert any(s.startswith("render (") for s in stages)
    seconds = [float(seconds) for _, seconds, _ in timed]
    assert abs(sum(seconds[:-1]) - seconds[-1]) < 0.01
    assert main(["build", *cache, "--timings"]) == 0
    again = [line.rsplit(None, 2)[0] for line in capsys.readouterr().err.strip().splitlines() if line.endswith(" s")]
    assert "load" not in again and again[-1] == "total"


def test_cli_usage_and_content_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--base-url", "not-a-url"]) == 2
    assert main(["build", "--output", "."]) == 2
    assert main(["build", "--articles", "missing"]) == 1
    assert "missing" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_progress_bar_draws_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    for done in range(1, 101):
        bar(done, 100)
    bar.close()
    text = stream.getvalue()
    assert "[##############################] 100/100 pages" in text
    assert text.count("\r") < 40  # redrawn when the bar moves, not for every page


def test_seeds_build_into_a_clean_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    from newsgen.config import load_config

    out = tmp_path / "site"
    result = build(load_config(), output=out, search=False)
    assert result.articles >= 5
    assert check_site(out, allow_missing=frozenset({"search.html", "search/mark.js"})) == []
    shutil.rmtree(out)


def test_permalinks_of_real_page_files_survive_changes_to_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgen.extract import load_archive

    seeds = sorted((ROOT / "articles").glob("*.txt"))
    (tmp_path / "articles").mkdir()
    for seed in seeds:
        shutil.copy(seed, tmp_path / "articles" / seed.name)
    monkeypatch.chdir(tmp_path)
    config = Config(articles=("articles",))

    def urls_by_source() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for a in load_archive(config).articles:
            found.setdefault(a.source, []).append(urls.article_url(a))
        return found

    before = urls_by_source()
    edited, removed = seeds[0].name, seeds[1].name
    (tmp_path / "articles" / edited).write_text(
        "# 新加的一篇文章\n\n本报讯 新内容。\n\n" + seeds[0].read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "articles" / removed).unlink()
    shutil.copy(seeds[2], tmp_path / "articles" / "000_added_first.txt")
    after = urls_by_source()
    for source, paths in before.items():
        if not source.endswith((edited, removed)):
            assert after[source] == paths, source
