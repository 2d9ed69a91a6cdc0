"""What a build runs on: its processes (`processes`), the garbage collector's regime during
a build (`collector`) and the record of where its time went (`timings`). Every stage that
forks, freezes or times does it through here."""

from newsgen.runtime.collector import for_build, frozen_for_fork, keeping
from newsgen.runtime.processes import (
    Background,
    can_fork,
    default_jobs,
    die_with_parent,
    fork_map,
    fork_pool,
    inherited,
)
from newsgen.runtime.timings import NoTimings, Timings

__all__ = [
    "Background",
    "NoTimings",
    "Timings",
    "can_fork",
    "default_jobs",
    "die_with_parent",
    "fork_map",
    "fork_pool",
    "for_build",
    "frozen_for_fork",
    "inherited",
    "keeping",
]
