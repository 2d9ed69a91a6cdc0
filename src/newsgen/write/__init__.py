"""Stage 6, write: files go into a temporary folder beside the output, swapped in at the end
(`atomic`), or, for an incremental build, renamed into it one by one (`update`)."""

from newsgen.write.atomic import AtomicSite

__all__ = ["AtomicSite"]
