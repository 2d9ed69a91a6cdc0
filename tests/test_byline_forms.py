"""Every byline form the papers print, on real seed articles whose bylines are reshaped.

The five articles of seed 004 (中原区's paper) each lose their printed byline and get it back
in one form at one place: before the lead, after the body, split over two lines, glued to the
last sentence, in brackets, or inside the 本报讯 lead. Whatever the form and place, the body
text stays what it is without a byline, the names land in the right roles, and every letter
is still exported exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loader_helpers import counted, exported_characters, page_from_text
from newsgen.extract.bylines import match_byline_line, parse_credits
from newsgen.model import Article, Page

SEED = (Path(__file__).resolve().parents[1] / "articles" / "004_ad72465be87e4b1c.txt").read_text(encoding="utf-8")

# (byline as printed, reporters, correspondents, interns, photographers)
Form = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
FORMS: list[Form] = [
    ("记者 鲁燕 通讯员 王畅", ("鲁燕",), ("王畅",), (), ()),
    ("本报记者 鲁燕 通讯员 王畅", ("鲁燕",), ("王畅",), (), ()),
    ("□晚报记者 鲁燕", ("鲁燕",), (), (), ()),
    ("■首席记者 鲁燕 见习记者 付铭扬", ("鲁燕", "付铭扬"), (), (), ()),
    ("◎融媒记者 鲁燕 特约记者 李钰沛", ("鲁燕", "李钰沛"), (), (), ()),
    ("记者 鲁燕 实习生 王飞", ("鲁燕",), (), ("王飞",), ()),
    ("实习生 王飞 通讯员 李娟", (), ("李娟",), ("王飞",), ()),
    ("记者 鲁燕 摄影 闫熹宸", ("鲁燕",), (), (), ("闫熹宸",)),
    ("闫熹宸 摄", (), (), (), ("闫熹宸",)),
    ("记者 鲁燕 摄", ("鲁燕",), (), (), ("鲁燕",)),
    ("中牟时报 李淑娟", ("李淑娟",), (), (), ()),
    ("记者郭树勋", ("郭树勋",), (), (), ()),
    ("记者郭树勋 通讯员 王畅", ("郭树勋",), ("王畅",), (), ()),
    ("记者 鲁燕 通讯员 王畅 文/图", ("鲁燕",), ("王畅",), (), ()),
    ("文/图 本报记者 鲁燕", ("鲁燕",), (), (), ()),
    ("文/记者 鲁燕 图/记者 付铭扬", ("鲁燕", "付铭扬"), (), (), ("付铭扬",)),
]
# A photo credit on a line of its own is the picture's, where a PDF's text layer puts it
# (under the picture), and so is a short paragraph ending in one (a caption): page
# furniture, whose people are the article's photographers (not its reporters).
PHOTO_ONLY = {"闫熹宸 摄": "闫熹宸", "记者 鲁燕 摄": "鲁燕"}
CREDIT_LINE_PLACES = {"after", "before", "bracketed", "glued-bracketed"}
# Forms a 本报讯(…) lead carries: a role before every name.
LEAD_FORMS = [f for f in FORMS if re.match(r"[□■◎]?(?:记者|本报记者|晚报记者|首席记者|实习生)", f[0])]
# A line that begins with a role word can be split before its second role.
_SECOND_ROLE = re.compile(r" (?=(?:通讯员|实习生|见习记者|特约记者|摄影|图/))")
PLACES = ["after", "before", "bracketed", "two-lines", "glued", "glued-bracketed", "lead"]


def seed_articles() -> list[tuple[str, str, list[str]]]:
    """(headline line, lead line, body lines) of seed 004's articles, printed bylines dropped."""
    out = []
    for chunk in re.split(r"(?m)^(?=#)", SEED):
        lines = [ln.rstrip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        rest = [ln for ln in lines[1:] if match_byline_line(ln) is None]
        assert rest[0].startswith("本报讯 ")
        out.append((lines[0], rest[0], rest[1:]))
    return out


ARTICLES = seed_articles()


def placed(article: tuple[str, str, list[str]], byline: str, place: str) -> str:
    """One article's text with its byline at that place."""
    head, lead, body = article
    lines = [head, lead, *body]
    if place == "after":
        lines.append(byline)
    elif place == "before":
        lines.insert(1, byline)
    elif place == "bracketed":
        lines.append(f"（{byline}）")
    elif place == "two-lines":
        lines += _SECOND_ROLE.split(byline, maxsplit=1)
    elif place == "glued":
        lines[-1] += byline if byline.startswith(("□", "■", "◎")) else " " + byline
    elif place == "glued-tight":
        lines[-1] += byline
    elif place == "glued-bracketed":
        lines[-1] += f"({byline})"
    elif place == "lead":
        lines[1] = lead.replace("本报讯 ", f"本报讯({byline})", 1)
    return "\n\n".join(lines) + "\n"


def page_of(tmp_path: Path, byline: str | None, place: str, name: str) -> tuple[Page, str]:
    parts = [placed(a, byline, place) if byline else placed(a, "", "none") for a in ARTICLES]
    text = "\n".join(parts)
    return page_from_text(tmp_path, text, name), text


def credits_of(article: Article) -> tuple[tuple[str, ...], ...]:
    return (article.reporters, article.correspondents, article.interns, article.photographers)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Page:
    page, _ = page_of(tmp_path_factory.mktemp("bare"), None, "none", "bare.txt")
    assert len(page.articles) == len(ARTICLES) == 5
    return page


def _cases() -> list[tuple[Form, str]]:
    cases = []
    for form in FORMS:
        for place in PLACES:
            if place == "lead" and form not in LEAD_FORMS:
                continue
            if place == "two-lines" and not _SECOND_ROLE.search(form[0]):
                continue
            if place == "glued" and form[0].startswith("记者郭树勋"):
                continue  # needs a space or brackets after a sentence: see the test below
            cases.append((form, place))
    return cases


@pytest.mark.parametrize("form,place", _cases(), ids=lambda x: x if isinstance(x, str) else x[0])
def test_every_form_in_every_place(tmp_path: Path, bare: Page, form: Form, place: str) -> None:
    byline, *expected = form
    page, text = page_of(tmp_path, byline, place, "page.txt")
    assert [a.title for a in page.articles] == [a.title for a in bare.articles]
    if byline in PHOTO_ONLY and place in CREDIT_LINE_PLACES:
        for article, plain in zip(page.articles, bare.articles):
            if article.byline is not None:  # glued to a paragraph too long for a caption
                assert place == "glued-bracketed" and article.blocks == plain.blocks
                assert credits_of(article) == tuple(expected)
                continue
            assert credits_of(article) == ((), (), (), (PHOTO_ONLY[byline],))
            caption = next(f for f in page.furniture if article.lines[0] <= f.line <= article.lines[1] + 2)
            if place == "glued-bracketed":  # the short closing paragraph reads as a caption
                assert caption.kind == "caption" and article.blocks == plain.blocks[:-1]
            else:
                assert caption.kind == "photo-credit" and article.blocks == plain.blocks
        assert exported_characters(page) == counted(text)
        return
    for article, plain in zip(page.articles, bare.articles):
        assert article.blocks == plain.blocks, "the byline took or left body text"
        assert article.dateline == "本报讯"
        assert credits_of(article) == tuple(expected)
        assert article.byline is not None and "no-byline" not in article.flags
        assert counted(article.byline) == counted(byline)
    assert exported_characters(page) == counted(text)


def test_bare_page_has_no_credits(bare: Page) -> None:
    assert all(credits_of(a) == ((), (), (), ()) and "no-byline" in a.flags for a in bare.articles)


def test_a_glued_name_after_the_last_sentence_stays_text(tmp_path: Path, bare: Page) -> None:
    """`…其他事项。记者郭树勋` is not taken: without a space or brackets a layout break
    (`…。记者向他` / `们了解到…`) would look the same, and a byline must never take body text."""
    page, text = page_of(tmp_path, "记者郭树勋", "glued-tight", "page.txt")
    assert all(a.blocks[-1].text.endswith("。记者郭树勋") for a in page.articles)
    assert all(a.reporters == () for a in page.articles)
    assert exported_characters(page) == counted(text)


@pytest.mark.parametrize(
    "line",
    ["记者手记", "记者观察", "记者连线", "通讯员来稿", "喜报 关注民生", "摄影作品展", "本报讯"],
)
def test_columns_and_text_are_not_bylines(line: str) -> None:
    assert match_byline_line(line) is None


def test_an_intern_is_not_a_reporter() -> None:
    credits = parse_credits("本报记者 鲁燕 实习生 王飞 见习记者 付铭扬")
    assert credits.reporters == ("鲁燕", "付铭扬") and credits.interns == ("王飞",)


def test_export_record_carries_the_new_roles(tmp_path: Path) -> None:
    page, _ = page_of(tmp_path, "记者 鲁燕 实习生 王飞 摄影 闫熹宸", "after", "page.txt")
    record = page.articles[0].to_record()
    keys = list(record)
    assert keys[keys.index("correspondents") + 1 : keys.index("correspondents") + 3] == ["interns", "photographers"]
    assert (record["interns"], record["photographers"]) == (["王飞"], ["闫熹宸"])


_SURNAME = st.sampled_from(list("王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁") + ["欧阳", "司马"])
_GIVEN = st.text(alphabet="明华英丽军平伟芳娜敏静秀强磊洋艳勇杰娟涛超霞刚玲燕畅飞", min_size=1, max_size=2)
_NAME = st.builds(lambda s, g: s + g, _SURNAME, _GIVEN)
_ROLE = st.sampled_from(["记者", "本报记者", "□晚报记者", "■首席记者", "◎见习记者", "融媒记者", "特约记者"])


@st.composite
def _byline(draw: st.DrawFn) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A byline in a random form, and the credits it must give."""
    reporters = draw(st.lists(_NAME, min_size=1, max_size=2, unique=True))
    others = draw(st.lists(_NAME.filter(lambda n: n not in reporters), max_size=2, unique=True))
    kind = draw(st.sampled_from(["通讯员", "实习生", "摄影", "X 摄", "paper", "glued"]))
    role = draw(_ROLE)
    if kind == "X 摄":
        return f"{' '.join(reporters)} 摄", ((), (), (), tuple(reporters))
    if kind == "paper":
        return f"中牟时报 {' '.join(reporters)}", (tuple(reporters), (), (), ())
    head = f"{role}{reporters[0]}" if kind == "glued" else f"{role} {' '.join(reporters)}"
    names = reporters[:1] if kind == "glued" else reporters
    slot = {"通讯员": 1, "实习生": 2, "摄影": 3}.get(kind, 1)
    credits: list[tuple[str, ...]] = [tuple(names), (), (), ()]
    if others and kind != "glued":
        credits[slot] = tuple(others)
        head += f" {kind} {' '.join(others)}"
    return head, tuple(credits)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_byline(), st.sampled_from([p for p in PLACES if p != "lead"]), st.integers(0, 4))
def test_a_byline_form_never_changes_the_body(
    tmp_path: Path, bare: Page, drawn: tuple[str, tuple[tuple[str, ...], ...]], place: str, which: int
) -> None:
    byline, expected = drawn
    if place == "two-lines" and not _SECOND_ROLE.search(byline):
        place = "after"
    if place == "glued" and re.match(r"[□■◎]?[\u4e00-\u9fff]*记者[^ ]", byline):
        place = "glued-bracketed"
    if place in ("glued-bracketed", "bracketed", "after") and byline.endswith("摄"):
        place = "glued"  # a photo credit alone, or ending a short paragraph, is furniture: see PHOTO_ONLY
    text = placed(ARTICLES[which], byline, place)
    page = page_from_text(tmp_path, text)
    (article,) = page.articles
    assert article.blocks == bare.articles[which].blocks
    assert credits_of(article) == expected
    assert exported_characters(page) == counted(text)


def _with_byline(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


SEED_003 = (Path(__file__).resolve().parents[1] / "articles" / "003_75508fda1e388424.txt").read_text(encoding="utf-8")
SEED_000 = (Path(__file__).resolve().parents[1] / "articles" / "000_122b2b7ff147ba18.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,expected",
    [
        # 003's first article closes with `(记者 张怡馨 李郑阳)` on a line of its own.
        ("(记者 张怡馨 李郑阳)", "(□首席记者 张怡馨 实习生 李郑阳)", (("张怡馨",), (), ("李郑阳",), ())),
        # The second line is a photo credit (furniture): 李郑阳 took the pictures.
        ("(记者 张怡馨 李郑阳)", "记者张怡馨\n\n实习生 李郑阳 摄", (("张怡馨",), (), (), ("李郑阳",))),
        ("(记者 张怡馨 李郑阳)", "(中牟时报 张怡馨 李郑阳)", (("张怡馨", "李郑阳"), (), (), ())),
        ("(记者 张怡馨 李郑阳)", "文/图 ◎融媒记者 张怡馨\n\n摄影 李郑阳", (("张怡馨",), (), (), ("李郑阳",))),
    ],
)
def test_reshaped_bylines_on_a_bracketed_page(tmp_path: Path, old: str, new: str, expected: tuple[object, ...]) -> None:
    plain = page_from_text(tmp_path, SEED_003, "plain.txt").articles[0]
    text = _with_byline(SEED_003, old, new)
    page = page_from_text(tmp_path, text, "page.txt")
    first = page.articles[0]
    assert first.blocks == plain.blocks and credits_of(first) == expected
    assert [a.title for a in page.articles] == [a.title for a in page_from_text(tmp_path, SEED_003, "p.txt").articles]
    assert exported_characters(page) == counted(text)


def test_bylines_before_the_lead_and_after_the_body_together(tmp_path: Path, bare: Page) -> None:
    """One article, two bylines: the writer's before the lead, the photographer's after the
    body, glued to its last sentence; and a lead byline with a closing intern line."""
    head, lead, body = ARTICLES[0]
    text = "\n\n".join([head, "□本报记者 鲁燕", lead, *body[:-1], body[-1] + " 闫熹宸 摄"]) + "\n"
    (article,) = page_from_text(tmp_path, text).articles
    assert article.blocks == bare.articles[0].blocks
    assert credits_of(article) == (("鲁燕",), (), (), ("闫熹宸",))
    assert article.byline == "□本报记者 鲁燕 闫熹宸 摄"
    text = "\n\n".join([head, lead.replace("本报讯 ", "本报讯（记者 鲁燕）"), *body, "实习生 王飞"]) + "\n"
    (article,) = page_from_text(tmp_path, text).articles
    assert article.blocks == bare.articles[0].blocks
    assert credits_of(article) == (("鲁燕",), (), ("王飞",), ())


def test_a_glued_byline_on_seed_000_in_new_forms(tmp_path: Path) -> None:
    """000's first article ends `…新活力。记者 唐善普` on one line: its new forms stay glued."""
    plain = page_from_text(tmp_path, SEED_000, "plain.txt").articles[0]
    for new, expected in [
        ("新动能新活力。(见习记者唐善普)", (("唐善普",), (), (), ())),
        ("新动能新活力。 唐善普 摄", ((), (), (), ("唐善普",))),
        ("新动能新活力。■融媒记者 唐善普 通讯员 徐青青", (("唐善普",), ("徐青青",), (), ())),
    ]:
        text = re.sub(r"新动能新活力。\s*记者 唐善普", new, SEED_000, count=1)
        assert text != SEED_000
        page = page_from_text(tmp_path, text, "page.txt")
        first = page.articles[0]
        assert first.blocks == plain.blocks and credits_of(first) == expected, new
        assert exported_characters(page) == counted(text)
