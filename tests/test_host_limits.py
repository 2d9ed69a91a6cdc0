"""The static hosts' limits: a site past 1 GB or 100,000 files is told which hosts will
refuse it, at build time, before a long upload fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS
from newsgen.config import Config
from newsgen.pipeline import build
from newsgen.write import hosts
from newsgen.write.hosts import GB, host_warnings


def test_a_site_under_every_warning_threshold_says_nothing() -> None:
    assert host_warnings(12_000, int(0.1 * GB)) == []
    assert host_warnings(100_000, 1 * GB) == []  # at the limits is within them


def test_the_100k_site_of_issue_25_names_every_host_it_breaks() -> None:
    (warning,) = host_warnings(243_686, 1_279_000_000)
    assert "1.28 GB in 243,686 files" in warning
    assert "GitHub Pages (1 GB)" in warning
    assert "GitLab Pages (200,000 files and 1 GB)" in warning
    assert "Cloudflare Pages (paid plans) (100,000 files)" in warning
    assert "Cloudflare Pages (free plan) (20,000 files)" in warning


def test_many_small_files_break_the_file_limits_only() -> None:
    (warning,) = host_warnings(150_000, int(0.5 * GB))
    assert "GitHub Pages" not in warning and "GitLab Pages" not in warning
    assert "Cloudflare Pages (paid plans) (100,000 files)" in warning


def test_a_build_warns_with_the_site_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build counts the files and bytes the site holds after it (also an incremental one)."""
    monkeypatch.setattr(hosts, "WARN_FILES", 10)
    monkeypatch.setattr(hosts, "LIMITS", (hosts.HostLimit("A tiny host", files=10),))
    monkeypatch.chdir(SEEDS.parent)
    told: list[str] = []
    out = tmp_path / "site"
    build(Config(), output=out, cwd=SEEDS.parent, search=False, cache_dir=tmp_path / "cache", notify=told.append)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert told == [w for w in host_warnings(files, size)] and "A tiny host (10 files)" in told[0]
    assert f"in {files:,} files" in told[0]
