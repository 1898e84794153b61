"""Decide the template generation (gov2021 / gov2019) of a report by weighing all its evidence.

Spec §0.2 lists what tells the two national formats apart: labels only one generation prints
(``本年制发件数`` in 二 for gov2021, ``本年新制作数量`` for gov2019, ``逾期不补正`` in 三 for gov2021),
the printed form of ``（六）其他处理`` (a row with values in gov2019, a group over three rows in
gov2021 — though some gov2021 reports print it as one row too), and the report year as a prior.
No single cue is a gate: each is a likelihood ratio between the generations and the decision is
their product with a prior, so a cut copy (an excerpt of one table, a copy that begins inside a
table, a blank table) is decided by what it still shows, and a weak cue never outvotes a strong
one. The decision records every cue it used and its posterior; below :data:`CLEAR_POSTERIOR` it
is marked unclear, which the parser reports as a warning rather than a silent guess.

The legacy generation is not decided here: it is the fallback when no gov2019/gov2021 table is
read (:func:`gxparse.parser.analyze`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from gxparse.ir import Region, TemplateDecision
from gxparse.metadata import extract_metadata, most_named_year
from gxparse.template import get_template

GENERATIONS = ("gov2021", "gov2019")
"""The two generations weighed here; the first is the one favoured by the prior."""

PRIOR_ODDS = 11 / 5
"""Prior odds gov2021 : gov2019 — the dev corpus holds 11 distinct gov2021 reports (r002 is there
twice, as PDF and as its text layer) and 5 gov2019 ones; the gov2021 format also covers 2021 to
today, the gov2019 one two report years."""

LABEL_LIKELIHOOD_RATIO = 100.0
"""A table printing a label only one generation has (a template's ``detect`` list): no report of
the dev corpus or the spec's sources prints another generation's label, so the cue is near
certain; capped at 100 so that two such cues for opposite generations (a mixed copy) cancel."""

FORM_LIKELIHOOD_RATIO = 11 / 1
"""The printed form of a template's ``detect_patterns`` (``（六）其他处理`` followed by its values):
every gov2019 report prints it, and 1 of the 11 distinct gov2021 reports of the dev corpus (r002)
does too (spec: "some 2023–2024 reports … print （六）其他处理 as a single row"): 11 : 1 for gov2019."""

STATED_YEAR_LIKELIHOOD_RATIO = 20.0
"""A report year stated in the title, the statistics period or the publication date, falling in
one generation's ``report_years``: spec §0.2 calls the year a strong prior ("≥ 2021 → A very
likely") while mixed cases (a 2021 report on the 2019 layout) are plausible, so it is kept below a
printed label."""

NAMED_YEAR_LIKELIHOOD_RATIO = 10.0
"""The year a cut copy names most in its prose (its title, period and date lost): usually the
report year, but prose also names plans and targets, so half as strong as a stated year."""

CLEAR_POSTERIOR = 0.95
"""A decision whose posterior is below this is unclear and gives a warning."""

NOTHING_PRINTED_TELLS = "no label or form printed in the tables found tells the generations apart"
"""The evidence line of a copy whose tables print alike in both generations (an excerpt of 四, or of
三 without its （六） rows): its generation comes from the year and the prior alone, and without a
year it is undecidable from the print."""


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: what was seen, the generation it favours and by how much."""

    description: str
    favours: str
    likelihood_ratio: float

    def __str__(self) -> str:
        return f"{self.description} (favours {self.favours} ×{self.likelihood_ratio:g})"


def label_cues(text: str, regions: dict[str, Region]) -> list[Cue]:
    """The labels and printed forms of each located table that only one generation has.

    Labels of one table are correlated (a table that prints ``本年制发件数`` also prints
    ``本年废止件数``), so each table gives at most one label cue and one form cue per generation.
    """
    cues = []
    for key, region in regions.items():
        squeezed = "".join(text[region.start:region.end].split())  # all white space dropped (str.split: \s)
        for template in map(get_template, GENERATIONS):
            labels = [m for m in template.detect.get(key, ()) if m in squeezed]
            if labels:
                cues.append(Cue(f"{key} label {'/'.join(labels)}", template.id, LABEL_LIKELIHOOD_RATIO))
            forms = [m.group() for p in template.detect_patterns.get(key, ()) if (m := re.search(p, squeezed))]
            if forms:
                cues.append(Cue(f"{key} printed form {forms[0]}", template.id, FORM_LIKELIHOOD_RATIO))
    return cues


def year_cue(text: str, source: str | None = None) -> Cue | None:
    """The report year as a cue, from the strongest source the text has (None without one).

    Stated: the title, the statistics period, the input's name ``source`` or the most named year
    (:func:`extract_metadata`),
    else the publication date (reports are due by 31 January of the next year, so the report
    year is the year before). Named: the year the prose names most (:func:`most_named_year`).
    """
    meta = extract_metadata(text, source)
    if meta["report_year"] is not None:
        year, how, ratio = int(meta["report_year"]), "stated", STATED_YEAR_LIKELIHOOD_RATIO
    elif meta["published"] is not None:
        year, how, ratio = int(meta["published"][:4]) - 1, f"published {meta['published']}", STATED_YEAR_LIKELIHOOD_RATIO
    elif (named := most_named_year(text)) is not None:
        year, how, ratio = named, "most named", NAMED_YEAR_LIKELIHOOD_RATIO
    else:
        return None
    favours = _generation_of_year(year)
    return Cue(f"report year {year} ({how})", favours, ratio) if favours else None


def _generation_of_year(year: int) -> str | None:
    """The generation whose ``report_years`` hold ``year``; a year before all of them, the oldest one."""
    templates = [get_template(t) for t in GENERATIONS]
    for template in templates:
        first, last = template.report_years
        if (first is None or year >= first) and (last is None or year <= last):
            return template.id
    oldest_first = templates[-1].report_years[0]
    return templates[-1].id if oldest_first is not None and year < oldest_first else None


def decide_template(text: str, regions: dict[str, Region], *, source: str | None = None) -> TemplateDecision:
    """Weigh every cue of ``text``, its located ``regions`` and the input's name ``source`` into a
    gov2021 / gov2019 decision.

    The posterior odds are the prior odds times each cue's likelihood ratio; the evidence lists
    the cues (strongest first) and the prior. ``None`` (clear) when no region was located.
    """
    if not regions:
        return TemplateDecision(None, (), True)
    cues = label_cues(text, regions)
    printed = () if cues else (f"{NOTHING_PRINTED_TELLS} ({', '.join(regions)})",)
    if (year := year_cue(text, source)) is not None:
        cues.append(year)
    log_odds = math.log(PRIOR_ODDS) + sum(_signed_log(cue) for cue in cues)
    template_id = GENERATIONS[0] if log_odds >= 0 else GENERATIONS[1]
    posterior = 1 / (1 + math.exp(-abs(log_odds)))
    ranked = sorted(cues, key=lambda c: (c.favours != template_id, -c.likelihood_ratio))
    prior = f"prior odds {GENERATIONS[0]}:{GENERATIONS[1]} {PRIOR_ODDS:.2g}"
    evidence = tuple(map(str, ranked)) + printed + (prior, f"posterior {template_id} {posterior:.3f}")
    return TemplateDecision(template_id, evidence, posterior >= CLEAR_POSTERIOR, round(posterior, 3))


def _signed_log(cue: Cue) -> float:
    """The cue's log likelihood ratio, positive when it favours the first generation."""
    return math.log(cue.likelihood_ratio) * (1 if cue.favours == GENERATIONS[0] else -1)


def detect_template(text: str, regions: dict[str, Region]) -> str | None:
    """The template generation of ``text`` alone (see :func:`decide_template`)."""
    return decide_template(text, regions).template
