"""A build replaces or deletes only folders newsgen made (issue: "a build must never destroy
what the archivist owns"). Every test works in a scratch folder, with HOME pointed into it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgen.pipeline import build
from newsgen.config import load_config
from newsgen.errors import NewsgenError, UsageError
from newsgen.write import atomic
from newsgen.write.atomic import exchange, staging_folder
from newsgen.write.ownership import MARKER
from newsgen.write.state import StateStore
from trees import digest_tree

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))



def someone_elses(folder: Path) -> dict[str, str]:
    """A folder of a user's own files, as a home folder holds them."""
    (folder / ".ssh").mkdir(parents=True)
    (folder / ".ssh" / "id_ed25519").write_text("PRIVATE KEY")
    (folder / "文档").mkdir()
    (folder / "文档" / "报告.txt").write_text("我的报告")
    (folder / ".bashrc").write_text("export PATH")
    return digest_tree(folder)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    (folder / "articles").mkdir(parents=True)
    for seed in SEEDS[:2]:
        shutil.copy(seed, folder / "articles" / seed.name)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return folder


def run_cli(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--jobs", "1", *args],
        cwd=work, capture_output=True, text=True, env=env, timeout=300,
    )


def quick(work: Path, output: Path | str, **kwargs: object):
    return build(load_config(), output=Path(output), cwd=work, jobs=1, search=False, **kwargs)  # type: ignore[arg-type]


def test_a_folder_of_someone_elses_files_is_refused_and_left_alone(work: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    before = someone_elses(home)
    done = run_cli(work, "--output", str(home / ".." / "home"))
    assert done.returncode == 2, done.stderr  # a protected folder: the command line is wrong
    message = done.stderr.strip().splitlines()
    assert len(message) == 1 and "refusing to build into" in message[0]
    assert "it holds your home folder" in message[0]
    other = tmp_path / "mine"
    mine = someone_elses(other)
    done = run_cli(work, "--output", str(other))
    assert done.returncode == 1
    assert str(other) in done.stderr and "3 entries" in done.stderr and ".ssh/" in done.stderr and "--force" in done.stderr
    assert digest_tree(home) == before and digest_tree(other) == mine
    assert not list(tmp_path.glob("*.tmp-*")) and not list(tmp_path.glob("*.old-*"))


def test_force_takes_over_a_folder_but_never_a_protected_one(work: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    someone_elses(docs)
    assert run_cli(work, "--output", str(docs), "--force").returncode == 0
    assert (docs / "index.html").is_file() and (docs / MARKER).is_file() and not (docs / ".ssh").exists()
    (work / "templates").mkdir()
    (work / "templates" / "base.html").write_text("{{ x }}")
    (work / "repo" / ".git").mkdir(parents=True)
    (work / ".newsgen-cache").mkdir(exist_ok=True)
    for output, why in [
        (work / "repo", "git repository"),
        (work / "repo" / ".git", ".git"),
        (work / "templates", "templates"),
        (work / "articles", "page files"),
        (work / ".newsgen-cache", "cache"),
        (tmp_path / "home", "home folder"),
        (work, "working folder"),
        (Path("/"), "root of the file system"),
    ]:
        before = digest_tree(output) if output != Path("/") else None
        done = run_cli(work, "--output", str(output), "--force")
        assert done.returncode == 2 and why in done.stderr, (output, done.stderr)
        if before is not None:
            assert digest_tree(output) == before


def test_an_empty_or_missing_folder_is_taken_and_a_site_of_its_own_replaced(work: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    quick(work, tmp_path / "empty")
    quick(work, tmp_path / "new" / "site")
    assert (tmp_path / "empty" / MARKER).is_file() and (tmp_path / "new" / "site" / "index.html").is_file()
    again = quick(work, tmp_path / "empty", clean=True)  # a full build swaps its own site out
    assert again.mode == "full" and (tmp_path / "empty" / MARKER).is_file()


def test_a_site_built_before_the_marker_is_still_ours(work: Path) -> None:
    quick(work, work / "site")
    (work / "site" / MARKER).unlink()  # as an older newsgen left it
    assert quick(work, work / "site").mode == "incremental"
    assert (work / "site" / MARKER).is_file()
    (work / "site" / MARKER).unlink()
    (work / "site" / "my-notes.txt").write_text("mine")  # no longer only what newsgen wrote
    with pytest.raises(NewsgenError, match="did not make"):
        quick(work, work / "site")
    assert (work / "site" / "my-notes.txt").read_text() == "mine"


def test_a_tilde_in_the_config_is_the_home_folder(work: Path, tmp_path: Path) -> None:
    (work / "newsgen.yaml").write_text("output: ~/public/site\n", encoding="utf-8")
    done = run_cli(work)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "home" / "public" / "site" / "index.html").is_file()
    assert not (work / "~").exists()
    (work / "newsgen.yaml").write_text("output: ~nosuchuser_newsgen/site\n", encoding="utf-8")
    done = run_cli(work)
    assert done.returncode == 2 and "cannot expand" in done.stderr and not (work / "~nosuchuser_newsgen").exists()


def test_a_symlinked_output_is_written_through(work: Path, tmp_path: Path) -> None:
    target = tmp_path / "www" / "archive"
    target.mkdir(parents=True)
    (work / "site").symlink_to(target)
    quick(work, work / "site")
    assert (work / "site").is_symlink() and (target / "index.html").is_file()
    shutil.copy(SEEDS[2], work / "articles" / SEEDS[2].name)
    assert quick(work, work / "site").mode == "incremental"
    assert quick(work, work / "site", clean=True).mode == "full"  # the swap, through the link
    assert (work / "site").is_symlink() and os.readlink(work / "site") == str(target)
    assert digest_tree(work / "site") == digest_tree(target)
    assert not list(work.glob("site.*")) and not list(target.parent.glob("archive.*"))


def test_leftover_staging_folders_are_removed_but_look_alikes_kept(work: Path) -> None:
    quick(work, work / "site")
    killed = staging_folder(work / "site")  # as a killed build leaves it: marked
    (killed / "index.html").write_text("half")
    users = [work / "site.tmp-mine", work / "site.old-mine"]
    for folder in users:
        folder.mkdir()
        (folder / "notes.txt").write_text("mine")
    quick(work, work / "site")
    assert not killed.exists()
    shutil.rmtree(work / "site")
    quick(work, work / "site")  # a look-alike of a set-aside site is not taken for one
    assert all((folder / "notes.txt").read_text() == "mine" for folder in users)


def test_a_stop_while_the_staging_folder_is_made_leaves_none(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C, or the SIGTERM a killed `newsgen serve` sends its build, landing between the
    staging folder's creation and the `with` that removes it on an error."""

    def stopped(folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "mark", stopped)
    with pytest.raises(KeyboardInterrupt):
        staging_folder(work / "site")
    assert list(work.glob("site.tmp-*")) == []


def test_a_swap_killed_between_its_renames_loses_no_site(work: Path, tmp_path: Path) -> None:
    quick(work, work / "site")
    before = digest_tree(work / "site")
    os.rename(work / "site", work / "site.old-k1ll3d")  # the first rename of the two-rename swap
    messages: list[str] = []
    result = quick(work, work / "site", notify=messages.append)
    assert any("put back site/" in m for m in messages)
    assert result.mode == "unchanged" and digest_tree(work / "site") == before
    assert not list(work.glob("site.old-*"))


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this file system cannot exchange folders (the two-rename swap is used)")
    assert (tmp_path / "b" / "x").read_text() == "a" and not (tmp_path / "a" / "x").exists()


def test_a_full_build_clears_an_interrupted_updates_journal(work: Path) -> None:
    quick(work, work / "site")
    store = StateStore.for_output(work / ".newsgen-cache", work / "site")
    store.begin_update(work / "site.tmp-gone")  # killed while renaming files in
    assert quick(work, work / "site").mode == "full"
    assert not store.journal.exists()
    shutil.copy(SEEDS[2], work / "articles" / SEEDS[2].name)
    assert quick(work, work / "site").mode == "incremental"


def test_no_page_files_keep_the_site_unless_clean(work: Path) -> None:
    quick(work, work / "site")
    before = digest_tree(work / "site")
    for path in (work / "articles").iterdir():
        path.unlink()
    messages: list[str] = []
    result = quick(work, work / "site", notify=messages.append)
    assert result.mode == "kept" and digest_tree(work / "site") == before
    assert any("no page files in articles" in m and "--clean" in m for m in messages)
    (work / "newsgen.yaml").write_text("articles: []\n", encoding="utf-8")
    assert quick(work, work / "site").mode == "kept"
    assert quick(work, work / "site", clean=True).articles == 0


def test_a_build_into_a_file_is_refused(work: Path) -> None:
    (work / "site").write_text("not a folder")
    with pytest.raises(UsageError, match="is a file"):
        quick(work, work / "site")
    assert (work / "site").read_text() == "not a folder"
