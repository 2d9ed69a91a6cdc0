"""Issue 21, the input side: a build must never publish, expand or garble what it should refuse.

Each test here failed before its fix: unreadable folders read as an empty archive, links out
of the articles folders published, YAML alias bombs expanded, fact errors pointing at the
wrong line, files mixing UTF-8 and GB18030 turned into mojibake, and file names able to
forge terminal output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsgen.errors import NewsgenError
from newsgen.model import Diagnostic

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "articles"


def newsgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # This checkout's code whatever the working folder (a relative PYTHONPATH would not follow cwd).
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "newsgen", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


# --- 6. file names are printed with their control characters escaped ------------------------


def test_error_and_diagnostic_escape_control_characters_in_file_names() -> None:
    forged = "a.txt:1: fine\nnewsgen: all good \x1b[31mred\x9b\x7f"
    error = str(NewsgenError("cannot read", forged, 3))
    diagnostic = str(Diagnostic(forged, 3, "warning", "some-code", "look here"))
    for shown in (error, diagnostic):
        assert "\n" not in shown and "\x1b" not in shown and "\x9b" not in shown and "\x7f" not in shown
        assert shown.startswith("a.txt:1: fine\\x0anewsgen: all good \\x1b[31mred\\x9b\\x7f:3: ")
    # Ordinary names, Chinese ones included, are printed as they are.
    assert str(NewsgenError("bad", "articles/上街报.txt", 2)) == "articles/上街报.txt:2: bad"
    assert str(Diagnostic("articles/上街报.txt", None, "warning", "c", "m")) == "articles/上街报.txt: warning: m [c]"


def test_check_prints_a_crafted_file_name_on_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "articles"
    archive.mkdir()
    (archive / "x\x1b[31m\nnewsgen: forged.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = newsgen("check", "--articles", str(archive), cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsgen: error:")]
    assert len(errors) == 1 and "\x1b" not in result.stderr and "forged.txt" in errors[0]
    assert "x\\x1b[31m\\x0anewsgen: forged.txt: binary file" in errors[0]
