"""Stage 3, render: articles + config → the site's pages, as bytes handed to the writer.

- `plan`: the stage as the build runs it (`plan_site`, then `render_site`);
- `taxonomy`: districts, people, columns, dates, source pages — as data;
- `pages`: which pages exist, each a (site path, template, context) spec;
- `paging`: how lists are cut into pages and linked;
- `keys`: what each page's bytes depend on, as a digest, so unchanged pages are not rendered;
- `parallel`: rendering over worker processes;
- `environment`: the Jinja environment (template override folders, filters);
- `markup`: article bodies through markdown-it-py, raw HTML off;
- `assets`: the stylesheet and icon, copied from the package.
"""

from newsgen.render.environment import make_environment, template_dirs
from newsgen.render.pages import PageSpec
from newsgen.render.parallel import render_page
from newsgen.render.plan import SitePlan, Sink, plan_site, render_site

__all__ = ["PageSpec", "SitePlan", "Sink", "make_environment", "plan_site", "render_page", "render_site", "template_dirs"]
