"""`newsgen deploy`: build, then commit the site to the gh-pages branch and push it."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from newsgen import __version__
from newsgen.commands.build import add_output_options, output_of, run_build, site_config, summary
from newsgen.write import deploy_site, find_repository

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


def run(args: argparse.Namespace) -> int:
    config = site_config(args)
    output = output_of(args, config)
    repo = find_repository(Path.cwd())  # before building: fail fast outside a repository
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
        print(f"newsgen: deployed {deployment.files} files to {deployment.remote} {deployment.branch} ({deployment.commit[:12]})")
    else:
        print(f"newsgen: {deployment.remote} {deployment.branch} already has this site ({deployment.commit[:12]})")
    return 0
