"""Stage 4, analyse: the checked graph -> openness and power-concentration analyses
(``openness-kg analyze``), their tables and the derived named graph.

>>> import openness_kg
>>> from openness_kg import analyse
>>> an = analyse.run(openness_kg.load(), scope="seeds")   # or a KnowledgeGraph
>>> an.tables["analysis_concentration"]          # pandas.DataFrame
>>> an.write(Path("build/analysis"))             # CSV, PNG + SVG figures, report.md, report.html

* :mod:`.openness`: MOF class, OSI Open Source AI Definition style status, licence openness and
  openness score of a model's component profile (rules and sources in the docstrings);
* :mod:`.metrics`: Herfindahl-Hirschman index, CR4, Gini, Lorenz curve, Kendall's tau, parent
  roll-up;
* :mod:`.core`: :func:`run` and :class:`Analysis` (tables, derived named graph);
* :mod:`.output`: CSV files, figures, ``report.md`` and ``report.html``.

The derived triples go to the named graph ``https://w3id.org/openness-kg/graph/derived``
(``DERIVED_GRAPH``); ``TABLE_DOCS`` describes every table and column (for ``metadata.yml``).
"""
from __future__ import annotations

from .core import Analysis, run, scope_models
from .docs import TABLE_DOCS
from .extract import DERIVED_GRAPH

__all__ = ["run", "Analysis", "TABLE_DOCS", "DERIVED_GRAPH", "scope_models"]
