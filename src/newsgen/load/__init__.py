"""Stage 1, load: find the page files (`discover`), stamp what a build reads (`inputs`), and
turn each page file into decoded text with its facts (`pagefile`, `decode`, `frontmatter`,
and `pathfacts`: what its path says)."""

from newsgen.load.discover import PAGE_SUFFIXES, discover, page_files, source_name
from newsgen.load.inputs import Inputs, find_inputs
from newsgen.load.pagefile import RawPage, read_page

__all__ = ["PAGE_SUFFIXES", "Inputs", "RawPage", "discover", "find_inputs", "page_files", "read_page", "source_name"]
