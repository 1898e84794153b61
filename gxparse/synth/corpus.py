"""Write a deterministic synthetic corpus in the gold annotation format of ``corpus/README.md``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gxparse.synth.perturb import draw_perturbations, perturb
from gxparse.synth.render import GOV_LAYOUTS, LAYOUTS, LEGACY_LAYOUTS, render
from gxparse.synth.values import blank_zeros, random_legacy_tables, random_tables
from gxparse.synth.variants import DEFAULT_VARIANT_RATE, draw_variants
from gxparse.template import get_template
from gxparse.validate import values_balance

_EXTENSIONS = {"html": ".html", "markdown": ".md"}
_BLANK_STYLE_LAYOUTS = ("cell_per_line_blank", "html")
VARIANT_STREAM = 1  # variants are drawn from their own generator (seed, i, 1): the base report is unchanged
PERTURB_STREAM = 2  # perturbations (gxparse.synth.perturb) from another (seed, i, 2): the variants are unchanged


def balanced(template_id: str, tables: dict[str, Any]) -> dict[str, bool]:
    """The gold ``balanced`` field: does each table with identities satisfy them as printed?"""
    return {spec.key: values_balance(spec, tables[spec.key]) for spec in get_template(template_id).tables
            if spec.key in tables and any(i.cls != "soft" for i in spec.identities)}


def _draw_tables(template_id: str, layout: str, rng: np.random.Generator) -> dict[str, Any]:
    if template_id == "legacy":
        return random_legacy_tables(rng)
    alternative = template_id == "gov2021" and rng.random() < 0.15
    tables = random_tables(template_id, rng, other_handling_row=alternative)
    if layout in _BLANK_STYLE_LAYOUTS and rng.random() < 0.35:
        blank_zeros(tables, rng)
    return tables


def _gold(doc_id: str, name: str, template_id: str, report: Any, note: str) -> dict[str, Any]:
    tables = report.tables
    gold: dict[str, Any] = {"id": doc_id, "input": name, "template": template_id, "complete": report.complete,
                            "layout": report.layout, "script": report.script, "variants": list(report.variants),
                            "tables": tables}
    if report.labels:
        gold["labels"] = report.labels
    gold |= {"balanced": balanced(template_id, tables), "uncertain": [], "notes": note}
    return gold


def report_extension(layout: str) -> str:
    """The file extension of a report in ``layout`` (``.html``, ``.md`` or ``.txt``)."""
    return _EXTENSIONS.get(layout, ".txt")


def layout_choices(templates: Sequence[str], layouts: Iterable[str] | None, *, strict: bool = True) -> dict[str, list[str]]:
    """The allowed layouts of each template (default all that render it).

    Unknown layout names raise; a template no allowed layout renders raises when ``strict``,
    else it is left out of the result.
    """
    wanted = list(layouts) if layouts is not None else list(LAYOUTS)
    unknown = [name for name in wanted if name not in LAYOUTS]
    if unknown:
        raise ValueError(f"unknown layouts {unknown}; known: {LAYOUTS}")
    choices = {}
    for template_id in templates:
        family = LEGACY_LAYOUTS if template_id == "legacy" else GOV_LAYOUTS
        allowed = [name for name in wanted if name in family]
        if allowed:
            choices[template_id] = allowed
        elif strict:
            raise ValueError(f"no layout in {wanted} renders template {template_id!r}")
    return choices


def make_corpus(out_dir: str | Path, n: int, seed: int, *, layouts: Iterable[str] | None = None,
                templates: Sequence[str] = ("gov2021", "gov2019"),
                variants: float | str = DEFAULT_VARIANT_RATE, perturbations: float | str = "none") -> list[Path]:
    """Write ``n`` synthetic reports and their gold annotations to ``out_dir``.

    Report ``i`` is ``syn-<seed>-<i>.txt`` (``.html`` / ``.md`` for those layouts) beside
    ``syn-<seed>-<i>.json`` in the corpus gold format plus ``layout``, ``script`` and ``variants``
    keys (the variants applied, possibly none; see :mod:`gxparse.synth.variants`), so accuracy can
    be broken down per layout and per variant. Each report draws from its own generator seeded with
    ``(seed, i)`` and its variants from one seeded with ``(seed, i, 1)``, so the same arguments
    write the same bytes on every run, report ``i`` does not depend on ``n``, and with
    ``variants="none"`` a report is the one the generator wrote before variants existed.

    Parameters
    ----------
    out_dir:
        Created if missing.
    n, seed:
        Number of reports and corpus seed.
    layouts:
        Layout names to draw from (default all :data:`LAYOUTS`); each template uses those that
        render it.
    templates:
        Template ids to draw from (``"gov2021"``, ``"gov2019"``, ``"legacy"``).
    variants:
        ``"none"``, ``"all"`` (every report carries at least one variant — for a benchmark of
        robustness) or the share of reports that carry any (default
        :data:`~gxparse.synth.variants.DEFAULT_VARIANT_RATE`).
    perturbations:
        ``"none"`` (default), ``"all"`` or the share of reports damaged the way scraped copies are
        (:mod:`gxparse.synth.perturb`: page furniture, separators, wrapped labels …); the gold is
        unchanged and the perturbations are named in its ``variants`` after the variants.

    Returns
    -------
    list of Path
        The report files written, in order.
    """
    choices = layout_choices(templates, layouts)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        template_id = str(templates[int(rng.integers(len(templates)))])
        options = choices[template_id]
        layout = options[int(rng.integers(len(options)))]
        script = "traditional" if rng.random() < 0.12 else "simplified"
        tables = _draw_tables(template_id, layout, rng)
        names = draw_variants(template_id, np.random.default_rng([seed, i, VARIANT_STREAM]), variants, script)
        report = render(template_id, tables, layout, rng, script=script, variants=names)
        stem = f"syn-{seed}-{i}"
        path = out / (stem + report_extension(layout))
        note = f"synthetic report (gxparse.synth, seed {seed}, index {i}): {layout}, {script}"
        note += f", variants: {', '.join(report.variants)}" if report.variants else ""
        gold = _gold(stem, path.name, template_id, report, note)
        damage_rng = np.random.default_rng([seed, i, PERTURB_STREAM])
        damage = draw_perturbations(damage_rng, perturbations)
        text = perturb(report.text, gold, damage, damage_rng)
        if damage:
            gold["variants"] += list(damage)
            gold["notes"] += f", perturbations: {', '.join(damage)}"
        path.write_text(text, encoding="utf-8", newline="")
        (out / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8", newline="")
        paths.append(path)
    return paths
