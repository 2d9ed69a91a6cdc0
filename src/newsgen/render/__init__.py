"""Stage 4, render: articles + config → HTML strings through the Jinja templates.

- `taxonomy`: districts, people, columns, dates, source pages — as data;
- `pages`: which pages exist, each a (site path, template, context) spec;
- `environment`: the Jinja environment (template override folders, filters);
- `markup`: article bodies through markdown-it-py, raw HTML off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

from newsgen import urls
from newsgen.render.environment import make_environment, render, template_dirs
from newsgen.render.pages import PageSpec


def render_page(env: jinja2.Environment, spec: PageSpec, shared: Mapping[str, Any]) -> str:
    """One page's HTML: a pure function of its spec and the shared context."""
    context = {**shared, **spec.context, "page_path": spec.path, "root": urls.root_prefix(spec.path)}
    return render(env, spec.template, context)


__all__ = ["PageSpec", "make_environment", "render_page", "template_dirs"]
