"""The Jinja environment: where templates are found, and the filters they may use.

Template search path, first match wins per file (so a site can override just `article.html`):

1. `templates/` in the working folder;
2. `templates/` beside the config file, when one was given elsewhere;
3. newsgen's own default templates: the `templates/` folder of the newsgen source tree
   (an editable install or a checkout), else a `templates/` folder shipped inside the
   `newsgen` package.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from newsgen import urls
from newsgen.config import Config
from newsgen.errors import NewsgenError
from newsgen.model import Article
from newsgen.render.markup import render_blocks
from newsgen.render.text import byline_parts, date_iso, date_label, date_rfc3339, excerpt, site_roots, url_path

TEMPLATES = "templates"


def default_templates() -> Path | None:
    source_tree = Path(__file__).resolve().parents[3] / TEMPLATES
    if (source_tree / "base.html").is_file():
        return source_tree
    packaged = Path(str(resources.files("newsgen"))) / TEMPLATES
    if (packaged / "base.html").is_file():
        return packaged
    return None


def template_dirs(config: Config, cwd: Path | None = None) -> list[Path]:
    candidates = [(cwd or Path.cwd()) / TEMPLATES]
    if config.path:
        candidates.append(Path(config.path).resolve().parent / TEMPLATES)
    default = default_templates()
    if default is None:
        raise NewsgenError("newsgen's default templates are missing: reinstall newsgen")
    candidates.append(default)
    found: list[Path] = []
    for folder in candidates:
        folder = folder.resolve()
        if folder.is_dir() and folder not in found:
            found.append(folder)
    return found


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, path: str) -> str:
    """A site path as a link relative to the page being rendered."""
    return urls.link(context["page_path"], path)


def _body(article: Article) -> Markup:
    return render_blocks(article.blocks, article.dateline)


def make_environment(config: Config, cwd: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(config, cwd)]),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        url=_url,
        body=_body,
        date_label=date_label,
        date_iso=date_iso,
        date_rfc3339=date_rfc3339,
        excerpt=excerpt,
        byline_parts=byline_parts,
        url_path=url_path,
    )
    env.globals["urls"] = urls
    env.globals["site_roots"] = site_roots()
    return env


def has_template(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    return True


def _template_frame() -> tuple[str | None, int | None]:
    """Where in a template the error being handled happened (Jinja rewrites tracebacks so
    template lines show up as frames of the template file)."""
    tb = sys.exc_info()[2]
    where: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """Render one template, turning Jinja's errors into a NewsgenError naming the template line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise NewsgenError(f"template error: {exc.message}", exc.filename or template, exc.lineno) from None
    except jinja2.TemplateError as exc:
        filename, line = _template_frame()
        raise NewsgenError(f"template error: {exc}", filename or template, line) from None
