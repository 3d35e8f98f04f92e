"""Combining evidence on one component of one model: one vote per source, newer over older.

Input: the artifact records of a (model, component) pair from every named graph, as
:class:`Record` (source id, the date the record speaks for, availability, licences). Output: a
:class:`Judgement` (the combined availability and licences, which sources decided it, the date of
that evidence, and whether sources disagreed and how the disagreement was settled).

The rule, in order (each step documented on the function that applies it):

1. **One vote per source** (:func:`source_votes`). A source is a document, a dataset snapshot or
   the curated public records; its records on the pair (several files or checkpoints of one model
   in the Model Openness Tool, say) give one vote: the records of its newest date, by majority of
   their known availabilities, a tie going to the least open. Six MOF checkpoint files of Llama 3
   are one vote, like the OSAI index's single judgement.
2. **Unknown never votes** when any source knows: ``unknown`` (no record, ``Undisclosed``) is
   not evidence of release or of withholding.
3. **Newer evidence supersedes older** (:func:`combine_votes`). Dates are partial (``2025``,
   ``2025-08``, ``2025-08-05``) and read as periods; a vote is newer than another when its period
   starts after the other's ends. An undated vote is not ordered against any other (it is never
   superseded and never supersedes). When the known votes disagree, the votes that no other vote
   is newer than decide; if they agree, the older disagreeing votes are *superseded* (a later
   release, or a later take-down such as the OSAI index records for Dolly, Koala and MPT).
4. **Conflicts at the same date are kept, not hidden.** When the newest votes still disagree, the
   majority of them wins and a tie goes to the least open (withheld over partly released over
   released), and the judgement is marked ``unresolved``; the analyses list every disagreement,
   superseded or unresolved, in ``analysis_evidence_conflicts``.

Dates a record speaks for: the record's own ``as_of`` (a Model Openness Tool file's date), else
its source's ``date_published`` (a document's publication date, a dataset snapshot's commit
date), else the source's ``as_of`` (a document dated only in its text, e.g. "2025").
"""
from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

AVAILABILITY_ORDER = ("released", "partly_released", "withheld")  # most open first


def period(d: str | None) -> tuple[date, date] | None:
    """A partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as its first and last day; ``None``
    for ``None``. Raises ``ValueError`` on anything else."""
    if d is None:
        return None
    parts = [int(x) for x in str(d).split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    raise ValueError(f"not a partial date: {d!r}")


def newer(a: str | None, b: str | None) -> bool:
    """Whether date ``a`` is newer than ``b``: ``a``'s period starts after ``b``'s ends. An
    undated value is not ordered against anything (an undated document may be as recent as the
    newest snapshot), so it is never superseded and never supersedes."""
    pa, pb = period(a), period(b)
    if pa is None or pb is None:
        return False
    return pa[0] > pb[1]


@dataclass(frozen=True)
class Record:
    """One artifact record as one source states it: ``source`` (source id: a document, a dataset
    or ``curated``), ``date`` (partial date it speaks for, or ``None``), ``availability``
    (``released``, ``partly_released``, ``withheld`` or ``unknown``), ``licences`` (licence
    slugs, sorted) and ``record`` (the artifact's slug)."""

    source: str
    date: str | None
    availability: str
    licences: tuple[str, ...] = ()
    record: str = ""


@dataclass(frozen=True)
class Vote:
    """One source's vote on a (model, component): its availability, licences (of its records
    with that availability), date and the records it rests on."""

    source: str
    date: str | None
    availability: str
    licences: tuple[str, ...]
    records: tuple[str, ...]


@dataclass
class Judgement:
    """The combined state of one component of one model.

    * ``availability``: ``released``, ``partly_released``, ``withheld`` or ``unknown``;
    * ``licences``: licence slugs of every known vote agreeing with the outcome, sorted;
    * ``decided_by``: source ids of the deciding votes, sorted; ``date``: the newest date among
      them (``None`` when undated);
    * ``resolution``: ``None`` (every known vote agrees), ``superseded`` (older votes disagreed
      and newer ones decided) or ``unresolved`` (votes of the newest date disagree: majority,
      tie to the least open);
    * ``votes``: every source's vote; ``basis``: ``artifact`` or ``access_modes`` (the model's
      access modes standing in for a final-parameters record).
    """

    availability: str
    licences: tuple[str, ...] = ()
    decided_by: tuple[str, ...] = ()
    date: str | None = None
    resolution: str | None = None
    votes: list[Vote] = field(default_factory=list)
    basis: str = "artifact"

    @property
    def disagreement(self) -> bool:
        """Whether the sources' known votes disagree (superseded or unresolved)."""
        return self.resolution is not None

    @property
    def records(self) -> int:
        """Number of artifact records behind the votes."""
        return sum(len(v.records) for v in self.votes)


def _majority(avails: list[str]) -> str:
    """Most frequent availability; a tie goes to the least open (``AVAILABILITY_ORDER``)."""
    votes = Counter(avails)
    most = max(votes.values())
    return max((a for a, n in votes.items() if n == most), key=AVAILABILITY_ORDER.index)


def source_votes(records: list[Record]) -> list[Vote]:
    """Step 1: one vote per source, sorted by source id. A source's vote rests on its records
    of its newest date (undated records are not ordered, so they always count); of those,
    the known availabilities by majority, a tie to the least open; ``unknown`` when none is
    known. Its licences are those of its records with the winning availability."""
    by_source: dict[str, list[Record]] = {}
    for r in records:
        by_source.setdefault(r.source, []).append(r)
    out = []
    for src in sorted(by_source):
        recs = by_source[src]
        latest = [r for r in recs if not any(newer(o.date, r.date) for o in recs)]
        known = [r for r in latest if r.availability != "unknown"]
        if not known:
            out.append(Vote(src, _newest_date(latest), "unknown", (), tuple(sorted(r.record for r in latest))))
            continue
        win = _majority([r.availability for r in known])
        chosen = [r for r in known if r.availability == win]
        out.append(Vote(src, _newest_date(chosen), win, tuple(sorted({x for r in chosen for x in r.licences})),
                        tuple(sorted(r.record for r in chosen))))
    return out


def _newest_date(items) -> str | None:
    dates = [x.date for x in items if x.date]
    if not dates:
        return None
    return max(dates, key=lambda d: (period(d)[1], period(d)[0]))


def combine_votes(votes: list[Vote]) -> Judgement:
    """Steps 2-4: combine the sources' votes (see the module docstring). Raises ``ValueError``
    when ``votes`` is empty."""
    if not votes:
        raise ValueError("no votes to combine")
    known = [v for v in votes if v.availability != "unknown"]
    if not known:
        return Judgement("unknown", (), tuple(sorted(v.source for v in votes)), _newest_date(votes), None, votes)
    resolution = None
    if len({v.availability for v in known}) > 1:
        newest = [v for v in known if not any(newer(o.date, v.date) for o in known)]
        if len({v.availability for v in newest}) == 1:
            resolution = "superseded"
        else:
            resolution = "unresolved"
        win = _majority([v.availability for v in newest])
        deciding = [v for v in newest if v.availability == win]
    else:
        deciding = known
    # licences: of every known vote that agrees with the outcome (an older agreeing source still
    # tells under which licence the component is out)
    agreeing = [v for v in known if v.availability == deciding[0].availability]
    return Judgement(deciding[0].availability, tuple(sorted({x for v in agreeing for x in v.licences})),
                     tuple(sorted(v.source for v in deciding)), _newest_date(deciding), resolution, votes)


def combine(records: list[Record]) -> Judgement:
    """:func:`source_votes` then :func:`combine_votes`: the judgement on one (model, component)
    from its records in every named graph."""
    return combine_votes(source_votes(records))
