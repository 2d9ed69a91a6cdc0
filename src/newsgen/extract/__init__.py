"""Stage 2, extract: each page file's text → its articles, headline groups, bylines, dates,
districts and page furniture, over the whole archive (`load_archive`).

- `archive`: load + extract over every page file, in worker processes, through the page cache;
- `articles`: one page: its lines, articles and their fields;
- `layout`, `lines`, `segment`, `paragraphs`: a PDF's text layer unwrapped, lines classified,
  articles cut, paragraphs repaired;
- `furniture`, `bylines`, `dates`, `districts`: what each kind of line or mention means;
- `pagefacts`: what the page is (paper, issue date, 版次, 版名) from its facts, header and path.
"""

from newsgen.extract.archive import Archive, PageCache, extract_page, iter_pages, load_archive

__all__ = ["Archive", "PageCache", "extract_page", "iter_pages", "load_archive"]
