"""What a build takes out of the site waits in the trash and is deleted beside later builds:
never inside the site, never more than `HELD` builds' worth, never by a process that
outlives the build."""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.pipeline import build
from newsgen.write.state import StateStore
from newsgen.write.trash import HELD, reaping, throw_away, waiting
from trees import assert_same_as_clean, digest_tree

ROOT = Path(__file__).resolve().parents[1]


def filled(folder: Path, files: int = 5) -> Path:
    folder.mkdir(parents=True)
    for number in range(files):
        (folder / f"{number}.html").write_text("旧页面", encoding="utf-8")
    return folder


def test_a_thrown_away_folder_waits_in_the_trash_and_the_trash_keeps_only_the_newest(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    for number in range(HELD + 2):
        throw_away(filled(tmp_path / f"staging-{number}"), trash)
        assert not (tmp_path / f"staging-{number}").exists()
        time.sleep(0.01)  # distinct mtimes: the oldest go first
    kept = waiting(trash)
    assert len(kept) == HELD
    assert sorted(p.name for p in (kept[-1] / "files").iterdir()) == [f"{n}.html" for n in range(5)]
    throw_away(tmp_path / "gone", trash)  # thrown away already: nothing to do
    assert len(waiting(trash)) == HELD


def test_on_another_file_system_the_folder_is_deleted_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def cross_device(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "rename", cross_device)
    throw_away(filled(tmp_path / "staging"), tmp_path / "trash")
    assert not (tmp_path / "staging").exists() and waiting(tmp_path / "trash") == []


def test_reaping_deletes_the_trash_beside_the_block_and_leaves_no_process(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    throw_away(filled(tmp_path / "staging", files=50), trash)
    with reaping(trash):
        deadline = time.monotonic() + 30
        while waiting(trash) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting(trash) == []
    assert multiprocessing.active_children() == []


def test_a_reaper_stopped_halfway_leaves_the_rest_for_the_next_build(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    throw_away(filled(tmp_path / "staging", files=2000), trash)
    with reaping(trash):
        pass  # the block ends at once: the reaper is stopped wherever it has got to
    assert multiprocessing.active_children() == []
    with reaping(trash):
        deadline = time.monotonic() + 60
        while waiting(trash) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert waiting(trash) == []


def test_a_template_edit_leaves_the_replaced_pages_in_the_trash_until_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    shutil.copytree(ROOT / "articles", work / "articles")
    shutil.copy(ROOT / "newsgen.yaml", work / "newsgen.yaml")
    shutil.copytree(ROOT / "templates", work / "templates")
    monkeypatch.chdir(work)
    store = StateStore.for_output(work / ".newsgen-cache", work / "site")

    first = build(load_config(), output=work / "site", cwd=work, jobs=2)
    with (work / "templates" / "base.html").open("a", encoding="utf-8") as stream:
        stream.write("<!-- edited -->\n")
    edited = build(load_config(), output=work / "site", cwd=work, jobs=2)
    assert edited.mode == "incremental" and edited.files >= first.pages
    [leftover] = waiting(store.trash)
    replaced = [p for p in leftover.rglob("*.html") if p.is_file()]
    assert len(replaced) >= first.pages and all("<!-- edited -->" not in p.read_text("utf-8") for p in replaced)
    site = digest_tree(work / "site")
    assert_same_as_clean(work, tmp_path)
    assert digest_tree(work / "site") == site  # the trash is never part of the site

    (work / "articles" / "zz-new.md").write_text("# 新增版面\n\n本报讯 11月20日,中原区举办社区文化节。\n", encoding="utf-8")
    deadline = time.monotonic() + 60
    while waiting(store.trash) and time.monotonic() < deadline:
        build(load_config(), output=work / "site", cwd=work, jobs=2)  # each build reaps while it runs
    assert waiting(store.trash) == []
    assert multiprocessing.active_children() == []
