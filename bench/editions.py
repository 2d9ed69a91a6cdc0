"""An archive filed by issue (generate.py --editions): dated folders, page header lines.

    python bench/generate.py --articles N --out DIR --editions

lays the same page files ``generate.py`` writes out as two papers' daily issues instead of
``NNNNNN_<hash>.txt``: ``DIR/<paper code>/<YYYY-MM-DD>/<NN>.txt``, each page's first line its
page header (版头) as the papers print it::

    郑州日报 2024年7月5日 星期五 第06版：区街新闻

One issue per day per paper from 2024-07-01 (papers in turn within a day), 4–12 pages each
(the archive's last issue may hold fewer: the pages run out), page 01 always 要闻. The text
under the header is the page file ``render_file`` makes for the same index, so an editions
archive holds the same articles as the flat one of the same arguments. Each issue's page
count comes from its own ``random.Random(f"…/{seed}/{date}/{paper}")``: same arguments,
same bytes. The manifest gains one ``{"kind": "edition"}`` record per page (``file``,
``paper``, ``code``, ``issue_date``, ``page``, ``page_name``, ``header``), and every record's
``file`` is the page's path under DIR.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

PAPERS = (("zzrb", "郑州日报"), ("zyqb", "中原区报"))
FIRST_DAY = datetime.date(2024, 7, 1)
PAGES = (4, 12)  # pages per issue, at least and at most
FRONT = "要闻"
PAGE_NAMES = ("区街新闻", "综合新闻", "经济", "民生", "党建", "文化", "教育", "城建", "法治", "社区", "乡村振兴", "副刊")
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Edition:
    """One page of one issue: where it is filed and what its header says."""

    code: str
    paper: str
    date: datetime.date
    page: int
    page_name: str

    @property
    def file(self) -> str:
        return f"{self.code}/{self.date.isoformat()}/{self.page:02d}.txt"

    @property
    def header(self) -> str:
        d = self.date
        printed = f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}"
        return f"{self.paper} {printed} 第{self.page:02d}版：{self.page_name}"

    def record(self) -> dict[str, Any]:
        return {"kind": "edition", "file": self.file, "paper": self.paper, "code": self.code,
                "issue_date": self.date.isoformat(), "page": f"{self.page:02d}", "page_name": self.page_name,
                "header": self.header}  # fmt: skip


def editions(seed: int) -> Iterator[Edition]:
    """Every page of every issue, in filing order, for as long as the archive needs."""
    day = FIRST_DAY
    while True:
        for code, paper in PAPERS:
            rng = random.Random(f"newsgen-bench-editions/{seed}/{day.isoformat()}/{code}")
            count = rng.randint(*PAGES)
            names = rng.sample(PAGE_NAMES, count - 1)
            for page, name in enumerate([FRONT, *names], 1):
                yield Edition(code, paper, day, page, name)
        day += datetime.timedelta(days=1)


def file_edition(edition: Edition, text: str, records: list[Any]) -> str:
    """A generated page's text under its page header, its records re-filed at its path."""
    for record in records:
        record.file = edition.file
    return f"{edition.header}\n{text}"
