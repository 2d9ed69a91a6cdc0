"""Hand-made articles for the site tests: every field the templates show, and the awkward
cases (no date, year only, month-day only, names with slashes and dots, markup in text)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsgen.model import Article, Block, Date

SEEDS_FOLDER = Path(__file__).resolve().parents[1] / "articles"


def article(
    id: str,
    title: str = "标题",
    *,
    source: str = "articles/p1.txt",
    order: int = 0,
    date: Date = Date(2024, 7, 4),
    district: str | None = "中原区",
    reporters: tuple[str, ...] = (),
    correspondents: tuple[str, ...] = (),
    column: str | None = None,
    kicker: str | None = None,
    subtitle: str | None = None,
    blocks: tuple[Block, ...] = (Block("paragraph", "正文第一段。"),),
    paper: str | None = None,
) -> Article:
    return Article(
        id=id,
        source=source,
        lines=(1 + order * 10, 9 + order * 10),
        order=order,
        column=column,
        kicker=kicker,
        title=title,
        subtitle=subtitle,
        dateline=None,
        byline=None,
        reporters=reporters,
        correspondents=correspondents,
        date=date,
        district=district,
        blocks=blocks,
        flags=(),
        paper=paper,
    )


def sample_articles() -> list[Article]:
    body = (
        Block("paragraph", "本报讯 7月4日上午，中原区2024年二季度招商引资项目集中签约活动成功举办。"),
        Block("subhead", "聚焦新兴产业"),
        Block("paragraph", "此次集中签约的15个重点项目，涵盖量子信息技术、人工智能、数字经济等领域。"),
        Block("paragraph", "1. 这一段以数字开头，仍是一个段落。"),
    )
    briefs = (
        Block("brief", "社区开展消防演练。"),
        Block("brief", "辖区举办招聘会，提供岗位300余个。"),
    )
    return [
        article("a1", "中原区招商引资项目集中签约", kicker="实现从无到有的突破", subtitle="15个重点项目落地",
                reporters=("杨丽萍",), correspondents=("王伟",), column="要闻", blocks=body, paper="中原报"),
        article("a2", "惠济新兴产业园区按下加速键", source="articles/p2.txt", date=Date(2023, 3, 1),
                district="惠济区", reporters=("杨丽萍",), column="要闻"),
        article("a3", "", source="articles/p2.txt", order=1, date=Date(2023), district="惠济区",
                column="简讯", blocks=briefs),
        article("a4", "走访企业听心声", source="articles/p3.txt", date=Date(None, 3, 5), district="上街区",
                correspondents=("李/娜.",)),
        article("a5", "日期不详的文章", source="articles/p3.txt", order=1, date=Date(), district=None,
                column="a/b: c.d"),
        article("a6", "郑东新区云签约", source="articles/sub dir/p4.txt", date=Date(2022, 5, 30, year_inferred=True),
                district="郑东新区", reporters=("张三",)),
    ]


def with_id(a: Article, new_id: str) -> Article:
    return replace(a, id=new_id)


def dated_seed_archive(work: Path) -> list[str]:
    """The seeds laid out as two made-up issues, each page file opening with a 版头 line."""
    sources = []
    for number, seed in enumerate(sorted(SEEDS_FOLDER.glob("*.txt"))):
        day, page_no = (5, number + 1) if number < 3 else (6, number - 2)
        path = work / "articles" / f"2024-07-0{day}" / f"0{page_no}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        weekday = "五" if day == 5 else "六"
        header = f"郑州日报 2024年7月{day}日 星期{weekday} 第0{page_no}版：区街新闻\n\n"
        path.write_text(header + seed.read_text(encoding="utf-8"), encoding="utf-8")
        sources.append(path.relative_to(work).as_posix())
    return sources
