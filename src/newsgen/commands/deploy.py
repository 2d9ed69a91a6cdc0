"""`newsgen deploy`: build, then commit the site to the gh-pages branch and push it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from newsgen import __version__
from newsgen.cli import count
from newsgen.commands.build import add_output_options, output_of, run_build, site_config, summary
from newsgen.config import Config
from newsgen.write import deploy_site, find_repository, pages_url, remote_repository

HELP = "build, commit the site to the gh-pages branch and push it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser)
    parser.add_argument("--remote", default="origin", metavar="NAME_OR_URL", help="where to push (default: origin)")
    parser.add_argument("--branch", default="gh-pages", help="the branch GitHub Pages serves (default: gh-pages)")
    parser.add_argument("--message", "-m", metavar="TEXT", help="the commit message")
    parser.add_argument("--no-build", action="store_true", help="deploy the output folder as it is")


def default_message(repo: Path) -> str:
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "-q", "--verify", "HEAD"], capture_output=True, text=True)
    source = f" from {head.stdout.strip()[:12]}" if head.returncode == 0 else ""
    return f"Deploy site{source} with newsgen {__version__}"


def published_url(config: Config, repo: Path, remote: str) -> str | None:
    """The site's URL when the config gives none: GitHub Pages' address for the repository
    the Actions run is for (GITHUB_REPOSITORY) or the remote points at, so that the 404 page
    finds the site's folder (/<repo>/) and the sitemap and feed links are absolute."""
    repository = os.environ.get("GITHUB_REPOSITORY") or remote_repository(repo, remote)
    if not repository:
        print(
            "newsgen: warning: no site_url in the config and no GitHub repository known (GITHUB_REPOSITORY, "
            f"or a github.com URL for {remote}): set site_url, or 404.html guesses the site's folder from the address",
            file=sys.stderr,
        )
        return None
    url = pages_url(repository, config.cname)
    print(f"newsgen: site_url not set: using {url} (GitHub Pages for {repository})")
    return url


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
    output = output_of(args, config)
    repo = find_repository(Path.cwd())  # before building: fail fast outside a repository
    if config.site_url is None and not args.no_build:
        url = published_url(config, repo, args.remote)
        config = config.with_overrides(site_url=url) if url else config
    if not args.no_build:
        print(summary(run_build(config, output)))
    deployment = deploy_site(
        output,
        repo=repo,
        remote=args.remote,
        branch=args.branch,
        message=args.message or default_message(repo),
        cname=config.cname,
    )
    if deployment.changed:
        print(f"newsgen: deployed {count(deployment.files, 'file')} to {deployment.remote} {deployment.branch} ({deployment.commit[:12]})")
    else:
        print(f"newsgen: {deployment.remote} {deployment.branch} already has this site ({deployment.commit[:12]})")
    return 0
