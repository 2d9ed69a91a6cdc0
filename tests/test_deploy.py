"""`newsgen deploy` against a local bare repository: gh-pages gets the site, nothing else moves."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from newsgen.pipeline import build
from newsgen.cli import main
from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.write.ghpages import deploy_site, github_repository, pages_url, remote_repository
from site_samples import article, sample_articles


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone with one commit and an `origin` bare repository; no git identity configured."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "remote.git")], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    (work / "README.md").write_text("项目\n", encoding="utf-8")
    (work / "newsgen.yaml").write_text("title: 测试\ncname: news.example.org\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "-c", "user.name=Dev", "-c", "user.email=dev@example.org", "commit", "-q", "-m", "start")
    git(work, "remote", "add", "origin", str(tmp_path / "remote.git"))
    (work / "notes.txt").write_text("uncommitted work\n", encoding="utf-8")  # must survive a deploy
    monkeypatch.chdir(work)
    return work


def snapshot(work: Path) -> tuple[str, str, str, str]:
    index = hashlib.sha256((work / ".git" / "index").read_bytes()).hexdigest()
    return (git(work, "rev-parse", "HEAD"), git(work, "status", "--porcelain"), index, git(work, "symbolic-ref", "HEAD"))


def make_site(path: Path, items) -> Path:
    build(Config(title="测试"), output=path, articles=items, cwd=path.parent, search=False)
    return path


def test_deploy_twice_to_a_bare_repository(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remote = tmp_path / "remote.git"
    site = make_site(tmp_path / "site", sample_articles())
    before = snapshot(project)

    assert main(["deploy", "--no-build", "--output", str(site)]) == 0
    assert "deployed" in capsys.readouterr().out
    first = git(remote, "rev-parse", "refs/heads/gh-pages")
    files = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert {"index.html", ".nojekyll", "CNAME", "a/a1.html", "assets/site.css"} <= files
    assert git(remote, "show", "gh-pages:CNAME") == "news.example.org"
    assert git(remote, "show", "gh-pages:index.html") == (site / "index.html").read_text(encoding="utf-8").strip()
    assert snapshot(project) == before  # HEAD, working tree, index: untouched
    assert not (site / ".nojekyll").exists()  # added to the commit only
    assert git(remote, "log", "-1", "--format=%an", "gh-pages") == "newsgen"  # no identity configured

    make_site(site, sample_articles() + [article("new-one", "新文章")])
    assert main(["deploy", "--no-build", "--output", str(site), "--message", "第二次"]) == 0
    second = git(remote, "rev-parse", "refs/heads/gh-pages")
    assert second != first
    assert git(remote, "rev-parse", "gh-pages^") == first  # history kept, fast-forward push
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "第二次"
    assert "a/new-one.html" in git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert git(project, "rev-parse", "refs/heads/gh-pages") == second  # local branch follows
    assert snapshot(project) == before

    capsys.readouterr()
    assert main(["deploy", "--no-build", "--output", str(site)]) == 0
    assert "already has this site" in capsys.readouterr().out
    assert git(remote, "rev-parse", "refs/heads/gh-pages") == second


def test_deploy_builds_first_and_takes_a_url_remote(project: Path, tmp_path: Path) -> None:
    (project / "articles").mkdir()
    (project / "articles" / "p1.txt").write_text(
        "# 中原区召开会议\n\n本报讯（记者 杨丽萍）7月4日上午，中原区召开会议。\n", encoding="utf-8"
    )
    remote = tmp_path / "remote.git"
    out = tmp_path / "built"
    assert main(["deploy", "--output", str(out), "--remote", remote.as_uri(), "--branch", "pages"]) == 0
    files = git(remote, "ls-tree", "-r", "--name-only", "pages").splitlines()
    assert "index.html" in files and any(f.startswith("a/") for f in files)
    assert git(remote, "log", "-1", "--format=%s", "pages").startswith("Deploy site from ")


def test_deploy_refuses_what_it_cannot_do_safely(project: Path, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", sample_articles())
    with pytest.raises(NewsgenError, match="no built site"):
        deploy_site(tmp_path / "nothing", repo=project, message="m")
    with pytest.raises(NewsgenError, match="not a valid branch"):
        deploy_site(site, repo=project, branch="bad..name", message="m")
    git(project, "checkout", "-q", "-b", "gh-pages")
    with pytest.raises(NewsgenError, match="checked out"):
        deploy_site(site, repo=project, message="m")


def test_deploy_outside_a_repository_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["deploy", "--no-build"]) == 1


def test_pages_workflow_builds_with_make_site_and_the_official_actions() -> None:
    import yaml

    workflow = yaml.safe_load((Path(__file__).resolve().parents[1] / ".github/workflows/pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"] + workflow["jobs"]["deploy"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    assert any("make site" in s.get("run", "") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    # the caches a build reads, restored from the last run of the same code, before the build
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert steps.index(cache) < next(i for i, s in enumerate(steps) if "make site" in s.get("run", ""))
    assert cache["with"]["path"].split() == [".newsgen-cache/pages", ".newsgen-cache/search"]
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    assert "src/**" in key and key.endswith("${{ github.run_id }}") and key.startswith(restore)


@pytest.mark.parametrize(
    ("remote", "repository"),
    [
        ("https://github.com/Owner/news-archive.git", "Owner/news-archive"),
        ("https://github.com/owner/news.archive", "owner/news.archive"),
        ("git@github.com:owner/repo.git", "owner/repo"),
        ("ssh://git@github.com/owner/repo.git", "owner/repo"),
        ("https://gitlab.com/owner/repo.git", None),
        ("/srv/git/repo.git", None),
    ],
)
def test_github_repository_of_a_remote(remote: str, repository: str | None) -> None:
    assert github_repository(remote) == repository


def test_pages_url_of_a_repository() -> None:
    assert pages_url("Owner/news") == "https://owner.github.io/news/"
    assert pages_url("owner/Owner.github.io") == "https://owner.github.io/"
    assert pages_url("owner/news", "news.example.org") == "https://news.example.org/"


def test_deploy_without_a_site_url_builds_for_the_repositorys_pages(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "newsgen.yaml").write_text("title: 测试\n", encoding="utf-8")  # no site_url, no cname
    (project / "articles").mkdir()
    (project / "articles" / "p1.txt").write_text("# 中原区召开会议\n\n本报讯 7月4日，中原区召开会议。\n", encoding="utf-8")
    out = tmp_path / "built"
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/news")
    assert main(["deploy", "--output", str(out)]) == 0
    assert "using https://owner.github.io/news/" in capsys.readouterr().out
    assert 'var known = "/news/"' in (out / "404.html").read_text(encoding="utf-8")
    assert "https://owner.github.io/news/index.html" in (out / "sitemap.xml").read_text(encoding="utf-8")

    monkeypatch.delenv("GITHUB_REPOSITORY")
    git(project, "remote", "add", "upstream", "git@github.com:team/paper.git")
    assert remote_repository(project, "upstream") == "team/paper"
    assert main(["deploy", "--output", str(out)]) == 0  # origin is a local path: nothing known
    assert "warning: no site_url" in capsys.readouterr().err
    assert 'var known = ""' in (out / "404.html").read_text(encoding="utf-8")
