"""Load + extract over a whole archive: what every later stage starts from.

Extraction is CPU-bound Python, so large archives are spread over processes (threads would
share one interpreter lock). Each page's result is cached under a key made of the file's
bytes, its facts and the code that read it, so an unchanged file is never read twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.fingerprint import code_fingerprint
from newsgen.load import RawPage, page_files, read_page, source_name
from newsgen.model import Article, Diagnostic, Page
from newsgen.runtime import can_fork, fork_pool

# Below this many files to extract, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
DAY = 24 * 3600


@dataclass(frozen=True)
class Archive:
    pages: tuple[Page, ...]
    failures: tuple[NewsgenError, ...] = ()  # files that could not be read at all
    columns: tuple[str, ...] = ()  # the column names the pages were read with (the config's)

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for page in self.pages for a in page.articles)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for page in self.pages for d in page.diagnostics)

    def article_digests(self) -> Iterator[tuple[Article, str]]:
        """Each article with a digest of what it was extracted from: the loader's code, its
        page file's path, facts and bytes, and its place on the page. Extraction is a pure
        function of those (the page cache relies on it too), so equal digests mean equal
        articles: one short hash per article stands for a digest of all its fields (ten
        times as long to compute). The price: an edit of a page file that leaves its articles
        as they were still changes their digests (their pages are rendered again, to the same
        bytes). Pages that do not know their bytes' digest are left out."""
        code = code_fingerprint()
        for page in self.pages:
            if not page.digest:
                continue
            # The facts the page was read with: the config's (and the front matter's, in its
            # bytes), and what the path gave under the config's `pages:` patterns, all of which
            # end up in what the page is.
            what = (page.paper, page.issue_date, page.page_number, page.page_name)
            head = f"{code}\0{page.source}\0{page.facts!r}\0{what!r}\0{self.columns!r}\0{page.digest}\0"
            for order, article in enumerate(page.articles):
                yield article, hashlib.blake2b(f"{head}{order}".encode(), digest_size=12).hexdigest()


class Known(NamedTuple):
    """What `PageCache.known` remembers of a page file."""

    stat: tuple[int, int, int]  # size, mtime_ns, inode
    facts: str  # what the config says of it: its facts, the `pages:` patterns
    key: str  # its page cache key


class PageCache:
    """Extracted pages on disk, one pickle per (file bytes, facts, code) key.

    Beside them, the key each page file had when it last had a given stat (size, mtime,
    inode) and facts: a file whose stat is unchanged is not read and hashed again, as make
    trusts a file's mtime (at 10,000 page files, reading and hashing 250 MB took half a
    second of every build). The build's own up-to-date check trusts the same stat.

    Every edit of a page file, and every new version of newsgen, makes new entries (at 100,000
    articles the cache is about 300 MB), so entries nobody uses go: a pickle's mtime says when
    a load last used it (renewed once it is a week old), and `prune` deletes those no page
    file has now and none has used for `UNUSED_DAYS`. A build of some of the page files keeps
    the others' entries that long."""

    KNOWN_FILE = "known.pickle"
    PRUNED_FILE = "pruned"  # its mtime: when `prune` last ran
    UNUSED_DAYS = 30
    RENEW_DAYS = 7

    def __init__(self, folder: Path):
        self.folder = folder

    def key(self, source: str, data: bytes, config: Config) -> str:
        digest = hashlib.sha256()
        for part in (code_fingerprint(), source, config.facts_key(source)):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        # A string, not a Path: a build opens every page file's entry.
        return f"{self.folder}/pages/{key[:2]}/{key}.pickle"

    def get(self, key: str) -> Page | None:
        try:
            with open(self._path(key), "rb") as stream:
                page = pickle.load(stream)
                if time.time() - os.fstat(stream.fileno()).st_mtime > self.RENEW_DAYS * DAY:
                    with contextlib.suppress(OSError, NotImplementedError):  # a read-only cache still reads
                        os.utime(stream.fileno())  # used: `prune` keeps it
        except Exception:  # noqa: BLE001 - damaged, or written by another version: never an error
            return None
        return page if isinstance(page, Page) else None

    def prune(self, keep: Collection[str], *, daily: bool = False) -> int:
        """Delete the entries not in `keep` (the keys of the page files just loaded) that no
        load has used for `UNUSED_DAYS`, and what a killed writer left half-written a day ago;
        how many files went. `daily`: not if a prune ran in the last day (a scan of the whole
        cache: 50 ms at 100,000 articles). A cache that cannot be read or emptied is only bigger."""
        now, gone = time.time(), 0
        stamp = self.folder / "pages" / self.PRUNED_FILE
        with contextlib.suppress(OSError):
            if daily and now - stamp.stat().st_mtime < DAY:
                return 0
        limits = {"pickle": now - self.UNUSED_DAYS * DAY, "tmp": now - DAY}
        with contextlib.suppress(OSError):
            for folder in os.scandir(self.folder / "pages"):
                if not folder.is_dir(follow_symlinks=False):
                    continue
                for entry in os.scandir(folder.path):
                    suffix = entry.name.rpartition(".")[2]
                    limit = limits.get(suffix)
                    if limit is None or suffix == "pickle" and entry.name[: -len(".pickle")] in keep:
                        continue
                    with contextlib.suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_mtime < limit:
                            os.unlink(entry.path)
                            gone += 1
            stamp.touch()
        return gone

    def put(self, key: str, page: Page) -> None:
        self._write(Path(self._path(key)), page)

    def _write(self, path: Path, value: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def known(self) -> dict[str, Known]:
        """Source name → (stat, facts, key), as the last load that saved them left them; an
        entry of other code (whose keys differ) counts for nothing."""
        try:
            with (self.folder / "pages" / self.KNOWN_FILE).open("rb") as stream:
                code, known = pickle.load(stream)
        except Exception:  # noqa: BLE001 - damaged, or written by another version: never an error
            return {}
        return known if code == code_fingerprint() and isinstance(known, dict) else {}

    def save_known(self, known: dict[str, Known]) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            self._write(self.folder / "pages" / self.KNOWN_FILE, (code_fingerprint(), known))


def extract_page(raw: RawPage) -> Page:
    """A page file's text → its articles, furniture and facts (`newsgen.extract.articles`)."""
    # Imported on first use, within this stage: a build whose pages all come from the cache
    # never needs the extractor, whose import compiles dozens of patterns (0.04 s of every
    # start-up, a tenth of a build that finds nothing changed).
    from newsgen.extract.articles import extract_page as extract

    return extract(raw)


def _extract(path: Path, config: Config) -> Page | NewsgenError:
    try:
        return extract_page(read_page(path, config))
    except NewsgenError as exc:
        return exc


def _extract_chunk(
    paths: list[Path], config: Config, keys: list[str | None], cache: PageCache | None
) -> list[Page | NewsgenError]:
    """Extract some files; each worker stores its own pages in the cache (pickling them in
    the parent would make that part serial)."""
    pages = [_extract(path, config) for path in paths]
    if cache is not None:
        for key, page in zip(keys, pages):
            if key is not None and isinstance(page, Page):
                cache.put(key, page)
    return pages


def _extract_all(
    paths: list[Path], config: Config, jobs: int, keys: list[str | None], cache: PageCache | None
) -> list[Page | NewsgenError]:
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD or not can_fork():
        return _extract_chunk(paths, config, keys, cache)
    size = max(8, len(paths) // (jobs * 8))
    starts = range(0, len(paths), size)
    with fork_pool(jobs) as pool:
        results = pool.map(
            _extract_chunk,
            [paths[i : i + size] for i in starts],
            [config] * len(starts),
            [keys[i : i + size] for i in starts],
            [cache] * len(starts),
        )
        return [item for chunk in results for item in chunk]


@contextlib.contextmanager
def _extracting(
    paths: list[Path], config: Config, jobs: int, keys: list[str | None], cache: PageCache | None
) -> Iterator[Callable[[], list[Page | NewsgenError]]]:
    """What the block calls for the pages of `paths`. A few files (a day's new pages) are
    extracted in a worker while the block runs: the build reads the rest of the archive from
    the page cache meanwhile, and the extractor's start-up (a fifth of a second, its imports
    and patterns) is off its path. Many are extracted over every worker when asked for."""
    if not paths or jobs <= 1 or len(paths) >= PARALLEL_THRESHOLD or not can_fork():
        yield lambda: _extract_all(paths, config, jobs, keys, cache)
        return
    with fork_pool(1) as pool:
        yield pool.submit(_extract_chunk, paths, config, keys, cache).result


class _Stamped(NamedTuple):
    """What `_stamp` found of the page files, by their index."""

    sources: dict[int, str]
    entries: dict[int, Known]  # what `PageCache.known` is to remember of each
    errors: dict[int, NewsgenError]  # the files that cannot be read


def _stamp(
    paths: Sequence[Path], names: Sequence[str] | None, config: Config, cache: PageCache, known: dict[str, Known]
) -> _Stamped:
    """Per page file, its source name and (stat, facts, page cache key), or why it cannot be
    read. The key is the one `known` gives for this stat and facts, else hashed from the
    file's bytes (the stat before the bytes: a file changed after this stat is read anew
    next time)."""
    cwd = Path.cwd().resolve()
    stamped = _Stamped({}, {}, {})
    facts_key = _facts_key(config)
    for index, path in enumerate(paths):
        source = stamped.sources[index] = names[index] if names is not None else source_name(path, cwd)
        facts = facts_key(source)
        try:
            st = path.stat()
            stat = (st.st_size, st.st_mtime_ns, st.st_ino)
            before = known.get(source)
            if before is not None and before.stat == stat and before.facts == facts:
                key = before.key
            else:
                key = cache.key(source, path.read_bytes(), config)
        except OSError as exc:
            stamped.errors[index] = NewsgenError(f"cannot read: {exc.strerror}", source)
            continue
        stamped.entries[index] = Known(stat, facts, key)
    return stamped


def _facts_key(config: Config) -> Callable[[str], str]:
    """`config.facts_key`, spelled once when no fact rule names any file: it is then one text
    for every page file (50 µs a file, a sixth of loading 3,000 files from the cache)."""
    if config.facts:
        return config.facts_key
    same = config.facts_key("")
    return lambda _source: same


def iter_pages(
    config: Config,
    *,
    jobs: int = 1,
    cache: PageCache | None = None,
    paths: Sequence[Path] | None = None,
    names: Sequence[str] | None = None,
) -> Iterator[Page | NewsgenError]:
    """Pages in stable (sorted path) order; an unreadable file yields its error instead.
    `paths`: the config's page files as `page_files` found them, when the caller has them;
    `names`: their source names, when the caller knows them (`newsgen.load.Inputs`)."""
    if paths is None:
        paths = page_files(config)
    if names is not None and len(names) != len(paths):
        names = None
    known = cache.known() if cache is not None else {}
    stamped = _stamp(paths, names, config, cache, known) if cache is not None else _Stamped({}, {}, {})
    found: dict[int, Page | NewsgenError] = dict(stamped.errors)
    entries = stamped.entries
    # The files the cache knew with this stat are read from it while the others are extracted
    # (those it does not hold either: a new or edited file whose bytes it has not seen).
    trusted = [i for i, entry in entries.items() if known.get(stamped.sources[i]) == entry]
    skip = found.keys() | set(trusted)
    missing = [i for i in range(len(paths)) if i not in skip and not _cached(cache, entries.get(i), found, i)]
    late = []
    with _extracting([paths[i] for i in missing], config, jobs, [_key(entries, i) for i in missing], cache) as done:
        for index in trusted:
            if not _cached(cache, entries[index], found, index):
                late.append(index)  # damaged, or removed since: extracted after the rest
        extracted = done()
    extracted += _extract_all([paths[i] for i in late], config, jobs, [_key(entries, i) for i in late], cache)
    found.update(zip(missing + late, extracted))
    # Each page is in the cache now: read from it, or put there by whoever extracted it.
    now = {stamped.sources[i]: entry for i, entry in entries.items() if isinstance(found[i], Page)}
    if cache is not None and now != known:
        cache.save_known(now)
    if cache is not None:
        cache.prune({entry.key for entry in now.values()}, daily=True)
    for index in range(len(paths)):
        yield found[index]


def _key(entries: dict[int, Known], index: int) -> str | None:
    entry = entries.get(index)
    return entry.key if entry is not None else None


def _cached(cache: PageCache | None, entry: Known | None, found: dict[int, Page | NewsgenError], index: int) -> bool:
    """Put the page the cache holds for this entry into `found`; whether it held one."""
    page = cache.get(entry.key) if cache is not None and entry is not None else None
    if page is not None:
        found[index] = page
    return page is not None


def load_archive(
    config: Config,
    *,
    strict: bool = True,
    jobs: int = 1,
    cache: PageCache | None = None,
    paths: Sequence[Path] | None = None,
    names: Sequence[str] | None = None,
) -> Archive:
    """Every page of the archive. With strict, the first unreadable file raises."""
    pages: list[Page] = []
    failures: list[NewsgenError] = []
    for item in iter_pages(config, jobs=jobs, cache=cache, paths=paths, names=names):
        if isinstance(item, NewsgenError):
            if strict:
                raise item
            failures.append(item)
        else:
            pages.append(item)
    return Archive(tuple(pages), tuple(failures), config.columns)

