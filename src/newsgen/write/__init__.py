"""Stage 5, write: the only code that writes into the output folder (`site`).

- `site`: the build's steps (claim the output, lock it, read the last build's record, open a
  writer over a staging folder) and the `SiteWriter` every process writes through;
- `ownership`: which folders newsgen may replace (only those it made);
- `atomic`: a whole site staged beside the output and swapped in;
- `update`: only changed files staged and renamed in, every step undoable;
- `state`: the build's record (the manifest of every file and the inputs' stamp) and its lock;
- `ghpages`, `linkcheck`: publishing a built site (`newsgen deploy`);
- `hosts`: the static hosts' limits on a site's files and bytes, and a warning past them.
"""

from newsgen.write.ghpages import deploy_site, find_repository, pages_url, remote_repository
from newsgen.write.hosts import host_warnings
from newsgen.write.site import LastBuild, SiteWriter, Target, Written, claim_output, last_build, locked, open_site
from newsgen.write.state import BuildState

__all__ = [
    "BuildState",
    "LastBuild",
    "SiteWriter",
    "Target",
    "Written",
    "claim_output",
    "deploy_site",
    "find_repository",
    "host_warnings",
    "last_build",
    "locked",
    "open_site",
    "pages_url",
    "remote_repository",
]
