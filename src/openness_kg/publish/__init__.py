"""Stage 5, publish: the checked graph (with the derived graph) and the analysis -> the files of
a build.

* :mod:`.dumps`: TriG, N-Quads, Turtle and JSON-LD;
* :mod:`.database`: the SQLite database for Datasette and SQL (class, vocabulary, link,
  provenance and triples tables, plus the ``analysis_*`` tables);
* :mod:`.datasette`: ``metadata.yml`` for Datasette (generated from the schema; committed);
* the analysis folder (CSV, figures, ``report.md``), written by the analysis itself.

Every exporter reads the knowledge graph, never the YAML records.
"""
from __future__ import annotations

from pathlib import Path

from ..graph import KnowledgeGraph
from .database import DB_FILE, write_sqlite
from .dumps import DUMP_FILES, write_dumps

__all__ = ["publish", "write_dumps", "write_sqlite", "DB_FILE", "DUMP_FILES"]


def publish(kg: KnowledgeGraph, analysis, out_dir: Path, timings=None) -> dict[str, Path]:
    """Write the dumps, the SQLite database and ``analysis/`` of ``kg`` and ``analysis`` (an
    :class:`~openness_kg.analyse.Analysis`) into ``out_dir``. Returns ``{format: path}``
    (formats ``trig``, ``nquads``, ``turtle``, ``jsonld``, ``sqlite``, ``analysis``)."""
    from ..progress import Timings

    t = timings or Timings(True)
    out_dir = Path(out_dir)
    with t.step("publish-dumps", "writing TriG, N-Quads, Turtle and JSON-LD dumps"):
        written = write_dumps(kg, out_dir)
    with t.step("publish-sqlite", f"writing the SQLite database ({DB_FILE}, {len(analysis.tables)} analysis tables)"):
        written["sqlite"] = write_sqlite(kg, out_dir / DB_FILE, extra_tables=analysis.tables)
    with t.step("publish-analysis", "writing analysis tables, figures and report.md"):
        analysis.write(out_dir / "analysis")
        written["analysis"] = out_dir / "analysis"
    return written
