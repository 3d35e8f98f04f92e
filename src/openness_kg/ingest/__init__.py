"""Stage 1, ingest: the curated and imported YAML under ``data/`` -> a validated
:class:`Catalogue` of records.

:func:`load_records` reads every record file, checks it against the JSON Schema generated from
the LinkML schema and against the rules the schema cannot state (references, spans, provenance
of every field), and raises :class:`ValidationFailed` listing every :class:`Problem`
(file, record, field, message). :func:`verify_sources` re-hashes the source texts and checks
every span against them. Nothing here reads a later stage.
"""
from __future__ import annotations

from .catalogue import Catalogue, Problem, Record, ValidationFailed, data_files, load_records
from .sources import verify_sources

__all__ = ["Catalogue", "Problem", "Record", "ValidationFailed", "data_files", "load_records",
           "verify_sources"]
