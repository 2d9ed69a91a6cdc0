"""Cache keys come from what the output really depends on (`newsgen.fingerprint`).

Each test changes one thing a build depends on — a file of the package, one of its data
files, an output library's reported version, jieba's dictionary, one config setting — and
checks that the next, incremental build notices, equals a clean build byte for byte, and
rewrites only what the change touches.

The package is changed in a copy (src/newsgen and the default templates, run with
PYTHONPATH pointing at it): the real sources are never touched.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from trees import digest_tree

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))[:2]


class Project:
    """A working folder with two seed pages, built by a copy of newsgen."""

    def __init__(self, root: Path):
        self.root = root
        self.code = root / "code"
        shutil.copytree(ROOT / "src" / "newsgen", self.code / "src" / "newsgen",
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        shutil.copytree(ROOT / "templates", self.code / "templates")
        self.extra = root / "libs"  # put before everything on the path: fake versions, a jieba copy
        self.extra.mkdir()
        self.work = root / "work"
        (self.work / "articles").mkdir(parents=True)
        for seed in SEEDS:
            shutil.copy(seed, self.work / "articles" / seed.name)
        (self.work / "node_modules").symlink_to(ROOT / "node_modules")
        self.config("title: 缓存测试\n")

    @property
    def package(self) -> Path:
        return self.code / "src" / "newsgen"

    def config(self, text: str) -> None:
        (self.work / "newsgen.yaml").write_text(text, encoding="utf-8")

    def build(self, *args: str, output: str = "site") -> list[tuple[str, str]]:
        """Build; (file, why) for each file written or removed (`--explain`)."""
        env = {**os.environ, "PYTHONPATH": f"{self.extra}{os.pathsep}{self.code / 'src'}", "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            [sys.executable, "-m", "newsgen", "build", "--output", output, "--explain", *args],
            cwd=self.work, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("newsgen: "), done.stdout
        return [tuple(line.strip().split(": ", 1)) for line in done.stdout.splitlines()[1:]]  # type: ignore[misc]

    def check_equals_clean(self) -> None:
        self.build("--clean", output="clean")
        assert digest_tree(self.work / "site") == digest_tree(self.work / "clean")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    found = Project(tmp_path_factory.mktemp("cache-keys"))
    found.build()
    assert found.build() == []  # nothing changed: nothing written
    return found


def _pages(explained: list[tuple[str, str]]) -> set[str]:
    return {path for path, _ in explained if path.endswith(".html")}


def _rerendered_all(project: Project, explained: list[tuple[str, str]], what: str) -> None:
    html = {path for path in digest_tree(project.work / "site") if path.endswith(".html")}
    assert _pages(explained) == html
    assert all(what in why for path, why in explained if path.endswith(".html"))
    project.check_equals_clean()
    assert project.build() == []


def test_a_package_file(project: Project) -> None:
    with (project.package / "urls.py").open("a", encoding="utf-8") as stream:
        stream.write("\n# a change to the package, however small, is a change of the code\n")
    _rerendered_all(project, project.build(), "code changed")


def test_a_data_file(project: Project) -> None:
    with (project.package / "data" / "zones.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    _rerendered_all(project, project.build(), "code changed")


def test_a_dependency_version(project: Project) -> None:
    # An installed distribution's version as importlib.metadata reports it: a dist-info
    # folder earlier on the path wins.
    info = project.extra / "markdown_it_py-99.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: markdown-it-py\nVersion: 99.0\n", encoding="utf-8")
    _rerendered_all(project, project.build(), "code changed")


def test_jiebas_dictionary(project: Project) -> None:
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    copy = project.extra / "jieba"
    shutil.copytree(Path(spec.origin).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "dict.txt").open("a", encoding="utf-8") as stream:
        stream.write("缓存测试新词 3 n\n")
    _rerendered_all(project, project.build(), "code changed")


def test_a_deploy_only_setting_rewrites_nothing(project: Project) -> None:
    project.config("title: 缓存测试\ncname: news.example.org\n")
    assert project.build() == [("(settings)", "changed: cname")]
    project.check_equals_clean()


def test_a_shown_setting_rewrites_the_pages_that_show_it(project: Project) -> None:
    project.config("title: 缓存测试（新）\ncname: news.example.org\n")
    explained = project.build()
    assert explained[0] == ("(settings)", "changed: title")
    files = [path for path, _ in explained[1:]]
    assert files and not any(path.startswith("search/") or path.startswith("assets/") for path in files)
    # the home pages and the feed show the title in their own context; every other page
    # through the shared `site`
    assert all(re.search(r"shared value `site`|what it shows", why) for _, why in explained[1:])
    project.check_equals_clean()


def test_a_template_override_names_the_template(project: Project) -> None:
    templates = project.work / "templates"
    templates.mkdir()
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(base.replace("</body>", "<!-- 本地修改 --></body>"), encoding="utf-8")
    explained = project.build()
    assert _pages(explained) == {path for path in digest_tree(project.work / "site") if path.endswith(".html")}
    assert {why for path, why in explained if path.endswith(".html")} == {"template base.html changed"}
    project.check_equals_clean()
    shutil.rmtree(templates)
    assert {why for _, why in project.build()} == {"template base.html changed"}


def test_an_edited_page_file_rewrites_what_shows_its_articles(project: Project) -> None:
    page = project.work / "articles" / SEEDS[0].name
    page.write_text(page.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")
    explained = project.build()
    named = f"its articles changed: page file articles/{SEEDS[0].name}"
    assert explained and all(
        why in (named, f"the list it is part of moved: page file articles/{SEEDS[0].name} changed",
                "the search index changed: the articles, the code or lunr.js did")
        for _, why in explained
    )  # fmt: skip
    assert any(why == named for _, why in explained)
    project.check_equals_clean()
