"""Stage 6, write: files go into a temporary folder beside the output, swapped in at the end."""

from newsgen.write.assets import copy_assets
from newsgen.write.atomic import AtomicSite

__all__ = ["AtomicSite", "copy_assets"]
