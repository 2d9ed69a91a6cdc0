"""The stylesheet and scripts as the site serves them (newsgen.minify)."""

from __future__ import annotations

import re
from importlib import resources

from newsgen import minify
from newsgen.render.assets import asset_files

ASSETS = resources.files("newsgen").joinpath("assets")


def _rules(css: str) -> list[str]:
    """Each rule's selector (or at-rule) with its spaces squeezed out, in order."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [re.sub(r"\s+", "", sel) for sel in re.findall(r"([^{}]+)\{", css)]


def test_the_stylesheet_keeps_every_rule_and_loses_its_comments() -> None:
    source = ASSETS.joinpath("site.css").read_text(encoding="utf-8")
    served = minify.asset("site.css").decode("utf-8")
    assert "/*" in source and "/*" not in served
    assert len(served) < 0.8 * len(source)
    assert _rules(served) == _rules(source)
    # nothing but comments and spaces went (and the semicolon a block's last declaration may drop)
    bare = lambda text: re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S)).replace(";}", "}")  # noqa: E731
    assert bare(served) == bare(source)


def test_a_script_keeps_its_strings_and_names_where_its_source_is() -> None:
    source = ASSETS.joinpath("search.js").read_text(encoding="utf-8")
    served = minify.asset("search.js").decode("utf-8")
    assert served.startswith("/* newsgen: minified; the source is newsgen/assets/search.js */\n")
    assert len(served) < 0.7 * len(source)
    # no renaming: every string literal and the API's names are there as written
    code = [line for line in source.splitlines() if "//" not in line and not line.lstrip().startswith(("*", "/*"))]
    literals = re.findall(r"'(?:[^'\\\n]|\\.)*'", "\n".join(code))
    assert len(literals) > 100
    for literal in literals:
        assert literal in served, literal
    for name in ("newsgenSearch", "loadShard", "DecompressionStream"):
        assert name in served


def test_minifying_is_deterministic_and_the_icon_is_left_alone() -> None:
    assert minify.asset("search.js") == minify.asset("search.js")
    assert minify.asset("favicon.svg") == ASSETS.joinpath("favicon.svg").read_bytes()
    served = dict(asset_files())
    assert served["assets/site.css"] == minify.asset("site.css")

