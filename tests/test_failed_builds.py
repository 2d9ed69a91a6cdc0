"""A build that fails leaves the old site as it was, and says why in one line."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgen import cli
from newsgen.pipeline import build
from newsgen.config import load_config
from newsgen.write import update
from trees import digest_tree

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    (folder / "articles").mkdir(parents=True)
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / "articles" / seed.name)
    (folder / "templates").mkdir()
    monkeypatch.chdir(folder)
    return folder


def again(work: Path, **kwargs: object):
    return build(load_config(), output=work / "site", cwd=work, jobs=1, **kwargs)  # type: ignore[arg-type]


def change_everything(work: Path) -> None:
    """An added page file, a removed one and a template edit: every kind of step of an update."""
    shutil.copy(SEEDS[3], work / "articles" / SEEDS[3].name)
    (work / "articles" / SEEDS[0].name).unlink()
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (work / "templates" / "base.html").write_text(base.replace("</body>", "<!-- edited --></body>"), encoding="utf-8")


@pytest.mark.parametrize("fail_at", [1, 7, 40, 10_000])
def test_an_update_that_fails_midway_is_undone(work: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
    again(work)
    before = digest_tree(work / "site", folders=True)
    change_everything(work)
    calls = {"n": 0}
    real_rename, real_exchange = os.rename, update.exchange

    def failing(real):  # noqa: ANN001, ANN202
        def step(*args):  # noqa: ANN002, ANN202
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise OSError(errno.ENOSPC, "No space left on device", str(args[-1]))
            return real(*args)
        return step

    monkeypatch.setattr(update.os, "rename", failing(real_rename))
    monkeypatch.setattr(update, "exchange", failing(real_exchange))
    if fail_at > 1000:  # more steps than the update has: it succeeds
        assert again(work).mode == "incremental"
        return
    with pytest.raises(OSError, match="No space left"):
        again(work)
    monkeypatch.undo()
    assert digest_tree(work / "site", folders=True) == before
    assert not list(work.glob("site.tmp-*"))
    repaired = again(work)
    assert repaired.mode == "incremental"  # the undone update left the manifest true
    clean = build(load_config(), output=work / "clean", cwd=work, jobs=1, clean=True, cache_dir=work / "clean-cache")
    assert clean.mode == "full"
    assert digest_tree(work / "site", folders=True) == digest_tree(work / "clean", folders=True)


def run_cli(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "newsgen", *args], cwd=work, capture_output=True, text=True, env=env,
                          timeout=300)


def test_a_system_error_is_one_line_naming_the_path(work: Path) -> None:
    (work / "plain-file").write_text("x")
    done = run_cli(work, "build", "--output", "plain-file/site")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("newsgen: error: ")
    assert "plain-file" in done.stderr and ("Not a directory" in done.stderr or "File exists" in done.stderr)


def test_out_of_memory_is_one_line(work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("newsgen.commands.build.build", exhausted)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "out of memory" in err
