"""Names' pinyin remembered from the last build (`newsgen.render.text.Readings`): the same
order as reading them afresh, pypinyin untouched when every name was read before, and a
record of other code ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import pipeline, write
from newsgen.config import Config
from newsgen.fingerprint import code_fingerprint
from newsgen.render import text
from newsgen.render.taxonomy import build_taxonomies
from newsgen.render.text import Readings, name_key, pinyin_key
from newsgen.write.site import OutputScan
from site_samples import SEEDS_FOLDER, sample_articles

# Surnames read otherwise (曾 单 解 长孙), heteronyms (长 乐 重), plain ones, a Latin letter.
_NAMES = st.text(alphabet="曾单解长孙乐重王李张伟丽萍娜行都A", min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=8))
def test_remembered_readings_order_names_as_read_afresh(names: list[str]) -> None:
    first = Readings()
    fresh = [(name_key(n), pinyin_key(n)) for n in names]
    assert [(name_key(n, first), pinyin_key(n, first)) for n in names] == fresh
    again = Readings(first.found)
    assert [(name_key(n, again), pinyin_key(n, again)) for n in names] == fresh
    assert again.found == first.found


def test_names_read_before_need_no_pypinyin(monkeypatch: pytest.MonkeyPatch) -> None:
    items = sample_articles()
    first = Readings()
    tax = build_taxonomies(items, first)

    def refuse(text: str) -> list[str]:
        raise AssertionError(f"{text} read again")

    monkeypatch.setattr(text, "syllables", refuse)
    assert build_taxonomies(items, Readings(first.found)) == tax


def _last(readings: object) -> write.LastBuild:
    state = write.BuildState("site", summary={"readings": readings})
    return write.LastBuild(state, OutputScan(None), existed=True)


def test_readings_of_other_code_are_ignored() -> None:
    kept = {"王伟": ("wang2", "wei3")}
    assert pipeline._readings(_last((code_fingerprint(), kept))) == kept
    assert pipeline._readings(_last(("other code", kept))) == {}
    assert pipeline._readings(_last(None)) == {}


def test_a_build_keeps_the_names_it_read(tmp_path: Path) -> None:
    """The record holds every name the site lists, read as pypinyin reads them; the next
    build reads them from there."""
    config = Config(articles=(str(SEEDS_FOLDER),))
    pipeline.build(config, output=tmp_path / "site", cwd=tmp_path, search=False)
    store = write.site.StateStore.for_output(tmp_path / pipeline.CACHE_DIR, tmp_path / "site")
    state = store.load()
    assert state is not None
    code, kept = state.summary["readings"]
    assert code == code_fingerprint() and kept
    assert all(tuple(text.syllables(name)) == read for name, read in kept.items())
