"""Issue 21, the input side: a build must never publish, expand or garble what it should refuse.

Each test here failed before its fix: unreadable folders read as an empty archive, links out
of the articles folders published, YAML alias bombs expanded, fact errors pointing at the
wrong line, files mixing UTF-8 and GB18030 turned into mojibake, and file names able to
forge terminal output.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loader_helpers import page_from_bytes, page_from_text
from newsgen import urls
from newsgen.cli import main as cli_main
from newsgen.config import Config, load_config
from newsgen.errors import EXIT_CONTENT, NewsgenError, printable
from newsgen.load import discover, page_files, read_page, source_name
from newsgen.load.decode import decode_page
from newsgen.model import Article, Diagnostic, PageFacts

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "articles"


def newsgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # This checkout's code whatever the working folder (a relative PYTHONPATH would not follow cwd).
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "newsgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


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
    plain = Diagnostic("articles/上街报.txt", None, "warning", "c", "m")
    assert str(plain) == "articles/上街报.txt: warning: m [c]"


@given(st.text())
def test_printable_leaves_no_control_character_and_only_changes_those(name: str) -> None:
    shown = printable(name)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    kept = [c for c in name if not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)]
    assert (shown == name) == (len(kept) == len(name))


def test_check_prints_a_crafted_file_name_on_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "articles"
    archive.mkdir()
    (archive / "x\x1b[31m\nnewsgen: forged.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = newsgen("check", "--articles", str(archive), cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsgen: error:")]
    assert len(errors) == 1 and "\x1b" not in result.stderr and "forged.txt" in errors[0]
    assert "x\\x1b[31m\\x0anewsgen: forged.txt: binary file" in errors[0]


# --- 1. an unreadable folder is an error, never an empty (or thinner) archive ---------------


def archive_of_seeds(tmp_path: Path, *names: str) -> Path:
    """An articles folder holding real seed pages; `names` are subfolders, a seed in each."""
    archive = tmp_path / "articles"
    archive.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], archive / seeds[0].name)
    for seed, name in zip(seeds[1:], names):
        (archive / name).mkdir()
        shutil.copy(seed, archive / name / seed.name)
    return archive


def refuse_to_list(monkeypatch: pytest.MonkeyPatch, unreadable: Path) -> None:
    """os.scandir as it behaves on a folder without read permission, which root never sees."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).absolute() == unreadable.absolute():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("unreadable", ["", "2019"])
def test_unreadable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unreadable: str) -> None:
    archive = archive_of_seeds(tmp_path, "2019", "2020")
    folder = archive / unreadable if unreadable else archive
    refuse_to_list(monkeypatch, folder)
    with pytest.raises(NewsgenError) as caught:
        discover([archive])
    assert caught.value.source == folder.as_posix()
    assert str(caught.value) == f"{folder.as_posix()}: cannot read folder: Permission denied"


def test_check_of_an_unreadable_folder_exits_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = archive_of_seeds(tmp_path, "2019")
    refuse_to_list(monkeypatch, archive / "2019")
    monkeypatch.chdir(tmp_path)
    assert cli_main(["check", "--articles", "articles"]) == EXIT_CONTENT
    assert "newsgen: error: articles/2019: cannot read folder: Permission denied" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; the monkeypatched tests above stand in")
def test_unreadable_folder_for_real(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path, "2019")
    (archive / "2019").chmod(0)
    try:
        result = newsgen("check", "--articles", "articles", cwd=tmp_path)
    finally:
        (archive / "2019").chmod(0o755)
    assert result.returncode == 1 and "articles/2019: cannot read folder: Permission denied" in result.stderr


# --- 2. links out of the articles folders are refused unless follow_links -------------------


def test_link_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path)
    (archive / "passwd.txt").symlink_to("/etc/passwd")
    with pytest.raises(NewsgenError) as caught:
        discover([archive])
    assert caught.value.source == (archive / "passwd.txt").as_posix()
    assert "link to /etc/passwd, outside the articles folders" in caught.value.message
    assert "follow_links" in caught.value.message


def test_check_refuses_a_link_to_etc_passwd(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path)
    (archive / "passwd.txt").symlink_to("/etc/passwd")
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "newsgen: error: articles/passwd.txt: link to /etc/passwd, outside the articles folders" in result.stderr
    assert "root" not in result.stdout


def test_link_to_a_folder_outside_is_refused(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path)
    private = tmp_path / "private"
    private.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], private / "diary.txt")
    (archive / "more").symlink_to(private, target_is_directory=True)
    with pytest.raises(NewsgenError) as caught:
        discover([archive])
    assert caught.value.source == (archive / "more").as_posix()
    assert f"link to {private.resolve().as_posix()}, outside the articles folders" in caught.value.message


def test_follow_links_publishes_what_links_lead_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = archive_of_seeds(tmp_path)
    private = tmp_path / "private"
    private.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], private / "diary.txt")
    (archive / "more").symlink_to(private, target_is_directory=True)
    (archive / "one.txt").symlink_to(private / "diary.txt")
    found = discover([archive], follow_links=True)
    assert sorted(p.resolve() for p in found) == sorted({(private / "diary.txt").resolve(), *archive.glob("0*.txt")})
    (tmp_path / "newsgen.yaml").write_text("articles: articles\nfollow_links: true\n", encoding="utf-8")
    config = load_config(tmp_path / "newsgen.yaml")
    assert config.follow_links is True and Config().follow_links is False
    monkeypatch.chdir(tmp_path)
    assert [p.resolve() for p in page_files(config)] == [p.resolve() for p in found]
    with pytest.raises(NewsgenError, match="outside the articles folders"):
        page_files(Config())


def test_a_build_publishes_a_link_outside_only_with_follow_links(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path)
    (archive / "passwd.txt").symlink_to("/etc/passwd")
    refused = newsgen("build", "--jobs", "1", cwd=tmp_path)
    assert refused.returncode == EXIT_CONTENT and "passwd.txt" in refused.stderr and not (tmp_path / "site").exists()
    (archive / "passwd.txt").unlink()
    private = tmp_path / "private"
    private.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], private / "diary.txt")
    (archive / "diary.txt").symlink_to(private / "diary.txt")
    (tmp_path / "newsgen.yaml").write_text("articles: articles\nfollow_links: true\n", encoding="utf-8")
    built = newsgen("build", "--jobs", "1", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / urls.source_url("private/diary.txt")).is_file()  # its page, by its real path


def test_follow_links_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("title: 档案\nfollow_links: perhaps\n", encoding="utf-8")
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (2, "follow_links must be true or false")


def test_links_inside_the_articles_folders_are_fine(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path, "2019")
    seed = next(archive.glob("0*.txt"))
    (archive / "2019" / "same.txt").symlink_to(seed)
    (archive / "2019" / "up").symlink_to(archive, target_is_directory=True)  # a loop back to the top
    (archive / "dangling.txt").symlink_to(tmp_path / "gone.txt")  # leads nowhere: nothing to read
    other = tmp_path / "other"  # a second articles folder: links into it stay inside
    other.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[2], other / "x.txt")
    (archive / "other.txt").symlink_to(other / "x.txt")
    for follow in (False, True):
        found = discover([archive, other], follow_links=follow)
        assert sorted(p.resolve() for p in found) == sorted(
            {seed.resolve(), *(archive / "2019").glob("0*.txt"), (other / "x.txt").resolve()}
        )


@pytest.mark.parametrize("options", [{}, {"follow_links": True}])
def test_link_loop_is_an_error(tmp_path: Path, options: dict[str, bool]) -> None:
    archive = archive_of_seeds(tmp_path)
    (archive / "a.txt").symlink_to(archive / "b.txt")
    (archive / "b.txt").symlink_to(archive / "a.txt")
    with pytest.raises(NewsgenError) as caught:
        discover([archive], **options)
    assert caught.value.source == (archive / "a.txt").as_posix()
    assert "link loop" in caught.value.message


# --- 3. YAML alias bombs are refused; facts and text settings are checked for type and size --


def laughs(levels: int, indent: str = "") -> str:
    """A "billion laughs" YAML block: each level lists the one before it ten times."""
    rows = [f'{indent}l0: &l0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for level in range(1, levels + 1):
        rows.append(f"{indent}l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(rows) + "\n"


def seed_text(index: int = 4) -> str:
    return sorted(SEEDS.glob("*.txt"))[index].read_text(encoding="utf-8")


def page_file(tmp_path: Path, front: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_text(f"---\n{front}---\n{seed_text()}", encoding="utf-8")
    return path


def test_alias_bomb_in_front_matter_is_refused(tmp_path: Path) -> None:
    # A million laughs: the old loader turned it into a 6 MB paper name printed on every page.
    path = page_file(tmp_path, "x:\n" + laughs(6, "  ") + "paper: *l6\n")
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert caught.value.source == source_name(path)
    assert caught.value.line == 6  # the row of the alias that tips it over: l3's list of *l2
    assert "front matter refused" in caught.value.message and "alias bomb" in caught.value.message


def test_alias_bomb_in_config_facts_is_refused_at_once(tmp_path: Path) -> None:
    archive = archive_of_seeds(tmp_path)
    config = "title: 档案\nfacts:\n  anchors:\n" + laughs(7, "    ") + "  articles:\n    paper: *l7\n"
    (tmp_path / "newsgen.yaml").write_text(config, encoding="utf-8")
    assert archive.is_dir()
    # Ten million laughs: the old loader made them a 70 MB paper name for every page (nine
    # levels, a billion, exhausted memory); the alias that tips it over is on line 8.
    result = newsgen("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "newsgen: error: newsgen.yaml:8: YAML aliases" in result.stderr and "alias bomb" in result.stderr


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = page_file(tmp_path, "paper: &p [上街报, *p]\n")
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert caught.value.line == 2 and "alias *p refers to a value it is inside" in caught.value.message


def test_yaml_nested_too_deep_is_refused(tmp_path: Path) -> None:
    # PyYAML composes recursively: the old loader crashed with a RecursionError traceback.
    path = page_file(tmp_path, "district: 上街区\npaper: " + "[" * 3000 + "上街报" + "]" * 3000 + "\n")
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert (caught.value.line, caught.value.message) == (3, "front matter refused: values nested more than 100 deep")
    (tmp_path / "newsgen.yaml").write_text("title: 档案\nfacts: " + "{a: " * 3000 + "1" + "}" * 3000, encoding="utf-8")
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (2, "values nested more than 100 deep")


def test_aliases_that_only_share_facts_are_fine(tmp_path: Path) -> None:
    rows = [f"  articles/{index:04d}.txt: *home\n" for index in range(3000)]
    (tmp_path / "newsgen.yaml").write_text(
        "facts:\n  anchor: &home {district: 上街区, paper: 上街报, year: 2024}\n" + "".join(rows), encoding="utf-8"
    )
    config = load_config(tmp_path / "newsgen.yaml")
    assert config.facts_for("articles/2999.txt") == PageFacts(paper="上街报", district="上街区", year=2024)


@pytest.mark.parametrize(
    "front,message",
    [
        ("paper: [上街报, 中原报]\n", "paper must be text, not a list"),
        ("paper: {name: 上街报}\n", "paper must be text, not a mapping"),
        ("paper: 1949\n", "paper must be text, not 1949"),
        (f"paper: {'报' * 101}\n", "paper is 101 characters long: at most 100 are allowed"),
        ('paper: "上街报\\n本报讯"\n', "paper must be one line of text, without control characters"),
        ("district: [上街区]\n", "district must be text, not a list"),
        ("district: 410106\n", "district must be text, not 410106"),
        ("year: yes\n", "year must be a four-digit number, not True"),
        ("year: [2024]\n", "year must be a four-digit number, not a list"),
    ],
)
def test_facts_of_the_wrong_type_or_size_are_refused(tmp_path: Path, front: str, message: str) -> None:
    path = page_file(tmp_path, "district: 上街区\n" + front)
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert (caught.value.line, caught.value.message) == (3, message)


def test_a_paper_name_of_a_hundred_characters_is_fine(tmp_path: Path) -> None:
    path = page_file(tmp_path, f"paper: {'报' * 100}\n")
    assert read_page(path, Config()).facts.paper == "报" * 100


@pytest.mark.parametrize(
    "setting,message",
    [
        ("title: [档案]", "title must be text, not a list"),
        (f"title: {'档' * 201}", "title is 201 characters long: at most 200 are allowed"),
        (f"description: {'档' * 2001}", "description is 2,001 characters long: at most 2,000 are allowed"),
        ("description: {a: b}", "description must be text, not a mapping"),
        ("cname: 12", "cname must be text, not 12"),
        ("facts:\n  articles:\n    paper: [上街报]", "paper must be text, not a list"),
    ],
)
def test_config_text_settings_are_checked(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "newsgen.yaml").write_text(f"articles: articles\n{setting}\n", encoding="utf-8")
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (setting.count("\n") + 2, message)


# --- 4. a fact's error names the line of the bad key ----------------------------------------


def test_front_matter_error_names_the_line_of_the_bad_fact(tmp_path: Path) -> None:
    path = page_file(tmp_path, "paper: 上街报\n# the year, as the archivist knows it\nyear: abc\n")
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert str(caught.value) == f"{source_name(path)}:4: year must be a four-digit number, not 'abc'"
    path = page_file(tmp_path, "paper: 上街报\ndistrict: 上街区\nissue: 12\n", "other.txt")
    result = newsgen("check", "--articles", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "newsgen: error: other.txt:4: unknown fact 'issue' (expected paper, district, year, date, page, page_name)" in result.stderr


def test_config_fact_error_names_the_line_of_the_bad_fact(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text(
        "title: 档案\n"
        "facts:\n"
        "  articles/001.txt:\n"
        "    district: 郑东新区\n"
        "    year: 2022\n"
        "  'articles/003.txt':\n"
        "    paper: 上街报\n"
        "    year: 20２4\n"  # a full-width digit: text, not a number
        "  articles/004.txt: {paper: 上街报, district: 火星区}\n",
        encoding="utf-8",
    )
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (8, "year must be a four-digit number, not '20２4'")
    text = (tmp_path / "newsgen.yaml").read_text(encoding="utf-8").replace("20２4", "2024")
    (tmp_path / "newsgen.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (9, "unknown district '火星区'")


# --- 5. a file mixing UTF-8 and GB18030 lines: each line read in its own encoding -----------


def half_and_half(text: str) -> tuple[bytes, int]:
    """`text` with its first half in UTF-8 and the rest in GB18030, as a page pasted together
    from two systems; and the first GB18030 line's number (a line with Chinese on it, since
    an ASCII line reads the same either way)."""
    lines = text.split("\n")
    split = next(i for i in range(len(lines) // 2, len(lines)) if not lines[i].isascii())
    data = "\n".join(lines[:split]).encode("utf-8") + b"\n" + "\n".join(lines[split:]).encode("gb18030")
    return data, split + 1


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_mixed_utf8_and_gb18030_lines_each_decode_in_their_own_encoding(tmp_path: Path, seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    data, first_gb = half_and_half(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    mixed = page_from_bytes(tmp_path, data, "mixed.txt")
    plain = page_from_text(tmp_path, text, "plain.txt")
    assert content(mixed.articles) == content(plain.articles)  # nothing lost, nothing garbled
    assert mixed.encoding == "utf-8+gb18030"
    last = len(text.split("\n"))
    notes = [str(d) for d in mixed.diagnostics if d.code.startswith("encoding")]
    assert notes == [
        f"{source_name(tmp_path / 'mixed.txt')}:{first_gb}: warning: mixed encodings:"
        f" lines 1-{first_gb - 1} read as UTF-8, lines {first_gb}-{last} as GB18030 [encoding-mixed]"
    ]
    # The same seed all in GB18030 is read as it always was, with its one warning.
    legacy = page_from_bytes(tmp_path, text.encode("gb18030"), "legacy.txt")
    assert legacy.encoding == "gb18030" and content(legacy.articles) == content(plain.articles)
    assert [d.code for d in legacy.diagnostics if d.code.startswith("encoding")] == ["encoding-fallback"]


def test_utf8_lines_gb18030_would_garble_are_read_as_utf8(tmp_path: Path) -> None:
    # The lines whose UTF-8 bytes GB18030 also reads (garbled) in UTF-8, the rest in GB18030:
    # the whole file reads as GB18030, which is what the old loader did, with a warning only.
    text = seed_text(3)
    lines = text.split("\n")
    utf8 = {i for i, line in enumerate(lines) if not line.isascii() and gb18030_reads(line.encode("utf-8"))}
    data = b"\n".join(line.encode("utf-8" if i in utf8 else "gb18030") for i, line in enumerate(lines))
    assert len(utf8) >= 5 and data.decode("gb18030") != text
    mixed = page_from_bytes(tmp_path, data, "mixed.txt")
    assert content(mixed.articles) == content(page_from_text(tmp_path, text, "plain.txt").articles)
    assert [d.code for d in mixed.diagnostics if d.code.startswith("encoding")] == ["encoding-mixed"]
    assert mixed.encoding == "utf-8+gb18030"


def gb18030_reads(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


SEED_LINES = sorted({line for path in SEEDS.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n")})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SEED_LINES), st.booleans()), min_size=1, max_size=40))
def test_any_mix_of_utf8_and_gb18030_seed_lines_decodes_to_its_text(lines: list[tuple[str, bool]]) -> None:
    data = b"\n".join(line.encode("gb18030" if legacy else "utf-8") for line, legacy in lines)
    decoded = decode_page(data, "mixed.txt")
    assert decoded.text == "\n".join(line for line, _ in lines)
    if decoded.encoding == "utf-8+gb18030":
        legacy_lines = {number for number, (line, legacy) in enumerate(lines, 1) if legacy and not line.isascii()}
        assert legacy_lines <= set(decoded.legacy_lines) and not legacy_lines & set(decoded.utf8_lines)


def content(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Articles without what names their file (their id and source): what the text gave them."""
    return tuple(replace(a, source="", id="") for a in articles)


def test_a_line_neither_utf8_nor_gb18030_is_named(tmp_path: Path) -> None:
    lines = seed_text(2).split("\n")
    latin1 = "caf\xe9 r\xe9sum\xe9".encode("latin-1")  # line 10: neither UTF-8 nor GB18030
    data = b"\n".join([line.encode("gb18030") for line in lines[:9]] + [latin1] + [line.encode() for line in lines[10:]])
    path = tmp_path / "broken.txt"
    path.write_bytes(data)
    with pytest.raises(NewsgenError) as caught:
        read_page(path, Config())
    assert (caught.value.line, caught.value.message) == (10, "cannot decode as UTF-8, UTF-16 or GB18030: bad byte 0xe9")


def test_check_reports_the_mixed_lines(tmp_path: Path) -> None:
    data, first_gb = half_and_half(seed_text(4))
    (tmp_path / "mixed.txt").write_bytes(data)
    result = newsgen("check", "--articles", "mixed.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"mixed.txt:{first_gb}: warning: mixed encodings: lines 1-{first_gb - 1} read as UTF-8" in result.stdout
    assert "mixed.txt: 5 articles (utf-8+gb18030)" in result.stdout


def test_config_fact_error_under_a_merge_key_names_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text(
        "facts:\n"
        "  base: &base {district: 上街区, paper: 上街报}\n"
        "  articles/2024/:\n"
        "    <<: *base\n"
        "    year: 二〇二四\n",
        encoding="utf-8",
    )
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (5, "year must be a four-digit number, not '二〇二四'")
    (tmp_path / "newsgen.yaml").write_text(
        "facts:\n  base: &base {district: 火星区}\n  articles/2024/:\n    <<: *base\n    year: 2024\n", encoding="utf-8"
    )
    with pytest.raises(NewsgenError) as caught:
        load_config(tmp_path / "newsgen.yaml")
    assert (caught.value.line, caught.value.message) == (2, "unknown district '火星区'")
