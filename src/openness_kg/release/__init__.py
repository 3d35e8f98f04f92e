"""Stage 6, release: a finished build packed as a citable, versioned release (after the
build, beside the readers: it reads ``build/`` through :mod:`openness_kg.read` and never builds).

* :mod:`.pack`: ``dist/openness-kg-<version>/`` and its ``.tar.gz`` (gzip dumps, database,
  analysis, SSSOM mappings, changelog, citation, checksums);
* :mod:`.descriptions`: the dataset descriptions, DCAT 3 + VoID (``dataset.ttl``) and Croissant
  1.0 (``croissant.json``).
"""
from __future__ import annotations

from .pack import ReleaseError, ReleaseInfo, release, release_info

__all__ = ["ReleaseError", "ReleaseInfo", "release", "release_info"]
