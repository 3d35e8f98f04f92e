"""Stage 1, ingest: the curated and imported YAML under ``data/`` -> a validated
:class:`Catalogue` of records.

:func:`load_records` reads every record file, checks it against the JSON Schema generated from
the LinkML schema and against the rules the schema cannot state (empty files, duplicate keys,
alias bombs, text, integer and date ranges, SPDX ids, references, hierarchy cycles, spans,
provenance of every field; see :mod:`.catalogue`), and raises :class:`ValidationFailed` listing
every :class:`Problem` (file, record, field, message). :func:`verify_sources` re-hashes the source
texts and checks every span against them; ``load_records(data_dir, sources_dir=folder)`` runs it
too when the folder exists, so the build reports its problems with all the others. Nothing here
reads a later stage.
"""
from __future__ import annotations

from .catalogue import Catalogue, Problem, Record, ValidationFailed, data_files, load_records
from .sources import verify_sources

__all__ = ["Catalogue", "Problem", "Record", "ValidationFailed", "data_files", "load_records",
           "verify_sources"]
