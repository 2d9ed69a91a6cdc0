"""The paper's columns named in newsgen.yaml (`columns:`): printed without `#` marks, a
column's name over a page's first story reads as well as that story's 引题 or 主题, and
nothing tells the stories after it that they stand under it. Named, it is read as printed."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from bench_modules import bench_module
from loader_helpers import counted, exported_characters, page_from_bytes
from newsgen.config import Config, config_from_mapping, load_config
from newsgen.errors import NewsgenError
from trees import assert_same_as_clean

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "articles" / "000_122b2b7ff147ba18.txt"  # `## 党旗在基层一线高高飘扬` over two `###` stories
COLUMN = "党旗在基层一线高高飘扬"
LONG = "### 筑牢党建“硬实力” 擦亮群众“幸福底色” 桐柏路街道坚持党建引领为民服务 充分发挥党员先锋模范作用"


def seed_text(lone: bool) -> str:
    """The seed, or the seed with the first story under the column headed by a lone 主题 (its
    headline's first phrases): unmarked, that is the page the text alone cannot tell."""
    text = SEED.read_text(encoding="utf-8")
    assert LONG in text
    return text.replace(LONG, "### 筑牢党建“硬实力”") if lone else text
FORMS = bench_module("forms")


def unmarked(text: str) -> str:
    return re.sub(r"(?m)^#{1,6}[ \t]*", "", text)


def read(tmp_path: Path, text: str, columns: tuple[str, ...] = ()) -> list:  # noqa: ANN001
    return list(page_from_bytes(tmp_path, text.encode("utf-8"), config=Config(columns=columns)).articles)


@pytest.mark.parametrize("lone", [False, True])
def test_as_marked_the_seed_has_the_column_over_its_last_two_stories(tmp_path: Path, lone: bool) -> None:
    assert [a.column for a in read(tmp_path, seed_text(lone))] == [None, COLUMN, COLUMN]


@pytest.mark.parametrize("lone", [False, True], ids=["seed", "lone-title"])
@pytest.mark.parametrize("form", ["unmarked", "pdf", "pdf+furniture"])
def test_unmarked_the_named_column_is_read_as_printed(tmp_path: Path, form: str, lone: bool) -> None:
    text = seed_text(lone)
    marked = read(tmp_path, text)
    shaped = unmarked(text) if form == "unmarked" else FORMS.reshape(text, form, random.Random(f"columns/{form}"), set()).text
    if lone:  # the text alone cannot tell
        assert [a.column for a in read(tmp_path, shaped)] != [a.column for a in marked]
    named = read(tmp_path, shaped, (COLUMN,))
    assert [(a.column, a.kicker, a.title, a.subtitle) for a in named] == [
        (a.column, a.kicker, a.title, a.subtitle) for a in marked
    ]
    assert [a.column_owner for a in named] == [False, True, False]


def test_a_named_column_loses_nothing_and_leaves_other_pages_alone(tmp_path: Path) -> None:
    for seed in sorted((ROOT / "articles").glob("*.txt")):
        text = unmarked(seed_text(True) if seed == SEED else seed.read_text(encoding="utf-8"))
        page = page_from_bytes(tmp_path, text.encode("utf-8"), config=Config(columns=(COLUMN,)))
        assert exported_characters(page) == counted(text), seed.name
        if COLUMN not in text:
            assert [a.column for a in page.articles] == [a.column for a in read(tmp_path, text)]


def test_a_named_column_alone_at_the_end_of_a_page_stays_as_it_was_read(tmp_path: Path) -> None:
    text = "第一篇的标题\n\n本报讯 7月4日,中原区召开会议。\n\n" + COLUMN + "\n"
    assert [(a.column, a.title) for a in read(tmp_path, text, (COLUMN,))] == [(a.column, a.title) for a in read(tmp_path, text)]


def test_the_setting_is_checked_where_it_is_written() -> None:
    assert config_from_mapping({"columns": COLUMN}, "newsgen.yaml").columns == (COLUMN,)
    assert config_from_mapping({"columns": [COLUMN, " 简讯 ", COLUMN]}, "newsgen.yaml").columns == (COLUMN, "简讯")
    for bad in ({"a": 1}, [""], ["两行\n栏目"], ["栏" * 61], [3]):
        with pytest.raises(NewsgenError, match="column"):
            config_from_mapping({"columns": bad}, "newsgen.yaml")


def test_naming_a_column_rebuilds_what_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgen.pipeline import build

    work = tmp_path / "work"
    (work / "articles").mkdir(parents=True)
    for seed in sorted((ROOT / "articles").glob("*.txt")):
        (work / "articles" / seed.name).write_text(unmarked(seed.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copy(ROOT / "newsgen.yaml", work / "newsgen.yaml")
    monkeypatch.chdir(work)
    build(load_config(), output=work / "site", cwd=work, jobs=1)
    with (work / "newsgen.yaml").open("a", encoding="utf-8") as config:
        config.write(f"columns: [{COLUMN}]\n")
    rebuilt = build(load_config(), output=work / "site", cwd=work, jobs=1)
    assert rebuilt.mode == "incremental" and rebuilt.files > 0
    assert_same_as_clean(work, tmp_path)
