"""jieba's default dictionary (its dict.txt), read without importing jieba.

Two stages look words up in it: the extract stage (`lost_beginning`) and the search stage
(the frequencies of the user dictionary's names). Importing and initialising jieba to do so
costs about 0.9 s in every process that does it; reading the file costs a tenth of that.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def dictionary_text() -> str:
    """The text of the installed jieba's dict.txt: one "word frequency [tag]" a line."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed", name="jieba")
    return (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
