"""Random gold tables with realistic value distributions.

The generators build the leaf cells first and derive every total from them, so the applications
and review_litigation tables satisfy every identity of their template by construction. Blank
(``None``) cells are only ever put where the value was 0 in those two tables, which keeps them
balanced under the corpus rule "a blank addend counts as 0".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gxparse.template import TableSpec, get_template

Tables = dict[str, dict[str, dict[str, Any]]]

_LEGACY_2018 = (
    "proactive_total", "proactive_website", "proactive_gazette", "apps_total", "apps_in_person",
    "apps_online", "apps_letter_fax", "replies_total", "reply_granted", "reply_partial",
    "reply_denied", "reply_other", "appeals_reports", "admin_review", "admin_litigation",
)
_LEGACY_2009 = (
    "proactive_total", "proactive_website", "proactive_gazette", "apps_total", "apps_in_person",
    "apps_online", "apps_fax", "apps_email", "apps_letter", "replies_total", "reply_granted",
    "reply_partial", "reply_rejected_total", "admin_review", "admin_litigation", "admin_appeal",
)
_LEGACY_OPTIONAL = ("appeals_reports", "admin_appeal", "proactive_gazette")
_LEGACY_CHANNELS = ("apps_in_person", "apps_online", "apps_letter_fax", "apps_fax", "apps_email", "apps_letter", "apps_other")
_LEGACY_REPLIES = ("reply_granted", "reply_partial", "reply_denied", "reply_other", "reply_rejected_total")
_LEGACY_CASE_ROWS = ("appeals_reports", "admin_review", "admin_litigation", "admin_appeal")


def heavy(rng: np.random.Generator, median: float, sigma: float, cap: int) -> int:
    """Draw a heavy-tailed positive count (log-normal around ``median``), at least 1, at most ``cap``."""
    return int(min(cap, max(1.0, rng.lognormal(math.log(median), sigma))))


def random_decimal(rng: np.random.Generator, median: float, sigma: float) -> int | float:
    """Draw a money amount printed as an integer (``8988``) or with 1–6 decimals (``52.29``).

    The float is rounded so that its shortest ``repr`` is exactly the printed form; the renderers
    print it with ``repr`` and the gold keeps the same float.
    """
    x = rng.lognormal(math.log(median), sigma)
    decimals = int(rng.choice([0, 1, 2, 2, 2, 4, 6]))
    value = round(float(x), decimals)
    if decimals == 0 or value.is_integer():
        return max(1, int(value))
    return value


def _maybe(rng: np.random.Generator, p_zero: float, median: float, sigma: float, cap: int) -> int:
    return 0 if rng.random() < p_zero else heavy(rng, median, sigma, cap)


def _decisions(rng: np.random.Generator, p_zero: float, median: float) -> int:
    """处理决定数量: often 0, usually tens to thousands, a large city's licences up to 10^7."""
    if rng.random() < p_zero:
        return 0
    if rng.random() < 0.04:
        return heavy(rng, 50000, 1.5, 10**7)
    return heavy(rng, median, 2.0, 10**7)


def _active_2021(rng: np.random.Generator) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row, p_zero, median in (("regulations", 0.75, 2), ("normative_documents", 0.25, 8)):
        # flows (issued, repealed) are of one magnitude; the stock in force is ~10x a year's flow
        issued = _maybe(rng, p_zero, median, 1.3, 800)
        repealed = 0 if issued == 0 and rng.random() < 0.7 else _maybe(rng, 0.35, max(2.0, 0.6 * issued), 1.0, 800)
        in_force = issued + _maybe(rng, 0.15 if issued else 0.6, 8 * max(issued, 3), 1.0, 20000)
        if rng.random() < 0.05:
            in_force = max(0, issued - 1)
        out[row] = {"issued": issued, "repealed": repealed, "in_force": in_force}
    if rng.random() < 0.1:
        out["regulations"] = {"issued": None, "repealed": None, "in_force": None}
    for row, p_zero, median in (("admin_licensing", 0.3, 60), ("admin_penalty", 0.35, 30), ("admin_coercion", 0.6, 5)):
        out[row] = {"decisions": _decisions(rng, p_zero, median)}
    out["admin_fees"] = {"fee_amount": 0 if rng.random() < 0.65 else random_decimal(rng, 60, 2.0)}
    return out


def _items_row(rng: np.random.Generator, p_zero: float, median: float) -> dict[str, int]:
    """上一年项目数量 and 本年增/减: the change is a small share of the list, sometimes negative."""
    prev = _maybe(rng, p_zero, median, 1.6, 5000)
    change = 0 if rng.random() < 0.5 else heavy(rng, max(2.0, 0.3 * prev), 1.5, 5000)
    if change and rng.random() < 0.4:
        change = -min(change, prev) if prev else change
    return {"prev_year_items": prev, "change_this_year": change}


def _active_2019(rng: np.random.Generator) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row, p_zero, median in (("regulations", 0.75, 2), ("normative_documents", 0.25, 6)):
        made = _maybe(rng, p_zero, median, 1.2, 800)
        published = made if rng.random() < 0.8 else int(rng.integers(0, made + 1))
        total = published + _maybe(rng, 0.3, 40, 1.4, 8000)
        out[row] = {"newly_made": made, "newly_published": published, "total_published": total}
    if rng.random() < 0.1:
        out["regulations"] = {"newly_made": None, "newly_published": None, "total_published": None}
    for row, p_zero, median in (("admin_licensing", 0.3, 60), ("other_admin_services", 0.6, 10),
                                ("admin_penalty", 0.35, 30), ("admin_coercion", 0.6, 5)):
        items = _items_row(rng, p_zero, median)
        decisions = _decisions(rng, p_zero, max(median, items["prev_year_items"] or median))
        out[row] = {**items, "decisions": decisions}
    out["admin_fees"] = _items_row(rng, 0.5, 8)
    items = _maybe(rng, 0.45, 6, 1.5, 5000)
    amount = random_decimal(rng, 300, 2.5) if items else 0
    out["centralized_procurement"] = {"procurement_items": items, "procurement_amount": amount}
    return out


def _application_count(rng: np.random.Generator) -> int:
    """Applications received: none in a quarter of reports, mostly a few to hundreds, rarely 10^4."""
    if rng.random() < 0.25:
        return 0
    if rng.random() < 0.05:
        return heavy(rng, 2000, 1.2, 20000)
    return heavy(rng, 12, 1.5, 20000)


def _applicant_split(rng: np.random.Generator, n: int) -> np.ndarray:
    """Split ``n`` applications over the six applicant columns, natural persons dominant."""
    natural = rng.beta(6.0, 1.2)
    orgs = (1.0 - natural) * rng.dirichlet([1.2, 0.3, 0.3, 0.6, 0.8])
    return rng.multinomial(n, np.concatenate([[natural], orgs]))


def _leaf_weights(rng: np.random.Generator, n_leaves: int) -> np.ndarray:
    """Sparse outcome distribution: 予以公开 always possible, a few other leaves active."""
    active = np.zeros(n_leaves, dtype=bool)
    active[0] = True
    k = int(rng.integers(1, min(9, n_leaves)))
    active[rng.choice(np.arange(1, n_leaves), size=k, replace=False)] = True
    weights = np.zeros(n_leaves)
    weights[active] = rng.dirichlet(np.full(int(active.sum()), 0.8))
    return weights


def _applications(spec: TableSpec, rng: np.random.Generator, alternatives: bool,
                  carried_over: np.ndarray | None = None) -> dict[str, dict[str, int]]:
    rows = spec.layout(alternatives=alternatives)
    leaves = [r.key for r in rows if r.leaf]
    cols = [c.key for c in spec.cols]
    applicant = cols[:6]
    new_n = _application_count(rng)
    new = _applicant_split(rng, new_n)
    if carried_over is None:
        carried = np.array([0 if rng.random() < 0.5 or v == 0 else rng.binomial(v, rng.uniform(0, 0.2)) for v in new])
    else:
        carried = carried_over
    pool = new + carried
    carry_next = np.array([0 if rng.random() < 0.5 else rng.binomial(v, rng.uniform(0, 0.15)) for v in pool])
    done = pool - carry_next
    weights = _leaf_weights(rng, len(leaves))
    leaf_values = np.array([rng.multinomial(int(v), weights) for v in done]).T  # (leaf, column)
    per_row: dict[str, np.ndarray] = {"new_received": new, "carried_over": carried,
                                      "results_total": done, "carry_to_next": carry_next}
    per_row.update({key: leaf_values[i] for i, key in enumerate(leaves)})
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        values = [int(v) for v in per_row[row.key]]
        out[row.key] = dict(zip(applicant, values)) | {"total": sum(values)}
    return out


def _review(spec: TableSpec, rng: np.random.Generator) -> dict[str, dict[str, int]]:
    cells: dict[str, int] = {}
    for group, p_active in (("review", 0.35), ("litigation_direct", 0.2), ("litigation_after_review", 0.15)):
        n = heavy(rng, 2, 1.3, 800) if rng.random() < p_active else 0
        parts = rng.multinomial(n, rng.dirichlet([3.0, 0.6, 1.0, 0.8]))
        for measure, value in zip(("upheld", "corrected", "other", "pending"), parts):
            cells[f"{group}_{measure}"] = int(value)
        cells[f"{group}_total"] = n
    return {"cases": {c.key: cells[c.key] for c in spec.cols}}


def _blank_some_zeros(table: dict[str, dict[str, Any]], rng: np.random.Generator, count: int) -> None:
    zeros = [(r, c) for r, cols in table.items() for c, v in cols.items() if v == 0]
    for i in rng.permutation(len(zeros))[:count]:
        row, col = zeros[int(i)]
        table[row][col] = None


def blank_zeros(tables: Tables, rng: np.random.Generator, share: float = 0.8) -> None:
    """Blank most zero cells of the applications table in place (Shanghai 2019 style: blank = 0)."""
    for cols in tables.get("applications", {}).values():
        for col, value in cols.items():
            if value == 0 and rng.random() < share:
                cols[col] = None


def _sprinkle_blanks(tables: Tables, rng: np.random.Generator) -> None:
    if rng.random() < 0.05:
        _blank_some_zeros(tables["applications"], rng, int(rng.integers(1, 4)))
    if rng.random() < 0.03:
        _blank_some_zeros(tables["review_litigation"], rng, int(rng.integers(1, 3)))
    if rng.random() < 0.03:
        active = tables["active_disclosure"]
        cells = [(r, c) for r in active if r != "regulations" for c in active[r]]
        row, col = cells[int(rng.integers(len(cells)))]
        active[row][col] = None


def _carried_over(previous: Tables | None, spec: TableSpec) -> np.ndarray | None:
    """Last year's 结转下年度继续办理 per applicant column (a blank counts as 0), or ``None``."""
    row = (previous or {}).get("applications", {}).get("carry_to_next")
    if row is None:
        return None
    return np.array([row.get(c.key) or 0 for c in spec.cols[:6]], dtype=np.int64)


_IN_FORCE_ROWS = ("regulations", "normative_documents")
"""The rows of 第二十条第（一）项 whose 现行有效件数 follow last year's (规章, 行政规范性文件)."""


def _follow_in_force(active: dict[str, dict[str, Any]], previous: Tables | None) -> None:
    """规章 and 行政规范性文件 in force = last year's in force + issued − repealed (gov2021 after gov2021)."""
    for row in _IN_FORCE_ROWS:
        before = (previous or {}).get("active_disclosure", {}).get(row, {}).get("in_force")
        docs = active[row]
        if before is None or "in_force" not in docs:
            continue
        docs["issued"] = docs["issued"] or 0
        docs["repealed"] = min(docs["repealed"] or 0, before + docs["issued"])
        docs["in_force"] = before + docs["issued"] - docs["repealed"]


def keep_links_numeric(tables: Tables) -> None:
    """Print the rows that link consecutive years as numbers (0, not blank), so the links hold as printed."""
    if "applications" not in tables:
        return
    for row in ("carried_over", "carry_to_next"):
        cols = tables["applications"][row]
        for col, value in cols.items():
            cols[col] = value or 0
    for row in _IN_FORCE_ROWS:
        docs = tables["active_disclosure"][row]
        for col, value in docs.items():
            docs[col] = value or 0


def random_tables(template_id: str, rng: np.random.Generator, *, other_handling_row: bool = False,
                  previous: Tables | None = None) -> Tables:
    """Draw the gold tables of one synthetic gov2021 or gov2019 report.

    Parameters
    ----------
    template_id:
        ``"gov2021"`` or ``"gov2019"``.
    rng:
        The only source of randomness, so a seeded generator gives the same tables every time.
    other_handling_row:
        gov2021 only: print （六）其他处理 as the single ``other_handling`` row (2019 style, as some
        2023–2024 reports do) instead of the three ``other_*`` rows.
    previous:
        The same agency's tables of the year before (any template), for an agency series: this
        year's 上年结转 row is last year's 结转下年度 row per applicant column, gov2021's 行政规范性文件
        in force follows last year's + issued − repealed, and the rows that carry these links are
        printed as numbers (never blank). ``None``: a report on its own.

    Returns
    -------
    dict
        ``{table: {row: {col: value}}}`` in the corpus gold format, rows and columns in template
        order. applications and review_litigation satisfy every identity of the template (blank
        cells only replace zeros); values follow the heavy-tailed distributions of real reports.
    """
    if template_id not in ("gov2021", "gov2019"):
        raise ValueError(f"random_tables makes gov2021/gov2019 tables, not {template_id!r}")
    if other_handling_row and template_id != "gov2021":
        raise ValueError("other_handling_row only applies to gov2021")
    template = get_template(template_id)
    active = _active_2021(rng) if template_id == "gov2021" else _active_2019(rng)
    spec = template.table("active_disclosure")
    apps = template.table("applications")
    tables: Tables = {
        "active_disclosure": {r.key: {c: active[r.key][c] for c in r.cols} for r in spec.rows},
        "applications": _applications(apps, rng, other_handling_row, _carried_over(previous, apps)),
        "review_litigation": _review(template.table("review_litigation"), rng),
    }
    _sprinkle_blanks(tables, rng)
    if previous is not None:
        keep_links_numeric(tables)
        _follow_in_force(tables["active_disclosure"], previous)
    return tables


def _legacy_rows(rng: np.random.Generator) -> list[str]:
    base = _LEGACY_2018 if rng.random() < 0.6 else _LEGACY_2009
    keep = [k for k in base if k not in _LEGACY_OPTIONAL or rng.random() < 0.85]
    if rng.random() < 0.15:
        keep.append("fees_collected")
    order = [r.key for r in get_template("legacy").table("legacy_indicators").rows]
    return sorted(keep, key=order.index)


def _with_cumulative(current: int, rng: np.random.Generator) -> int:
    return current if rng.random() < 0.1 else current + _maybe(rng, 0.2, 5 + 4 * current, 1.0, 10**6)


def _legacy_split(total: tuple[int, int], keys: list[str], rng: np.random.Generator) -> dict[str, tuple[int, int]]:
    weights = rng.dirichlet(np.full(len(keys), 0.7))
    current = rng.multinomial(total[0], weights)
    extra = rng.multinomial(total[1] - total[0], weights)
    return {k: (int(c), int(c + e)) for k, c, e in zip(keys, current, extra)}


def _legacy_values(rows: list[str], rng: np.random.Generator) -> dict[str, tuple[int, int]]:
    proactive = heavy(rng, 60, 1.5, 50000)
    apps_now = _maybe(rng, 0.5, 4, 1.3, 3000)
    apps = (apps_now, _with_cumulative(apps_now, rng))
    out: dict[str, tuple[int, int]] = {
        "proactive_total": (proactive, _with_cumulative(proactive, rng)), "apps_total": apps,
    }
    website = proactive if rng.random() < 0.7 else int(rng.integers(0, proactive + 1))
    out["proactive_website"] = (website, out["proactive_total"][1] - (proactive - website))
    gazette = _maybe(rng, 0.8, 3, 1.0, proactive)
    out["proactive_gazette"] = (gazette, min(_with_cumulative(gazette, rng), out["proactive_total"][1]))
    out.update(_legacy_split(apps, [r for r in rows if r in _LEGACY_CHANNELS], rng))
    replied = int(rng.integers(0, apps[0] + 1)) if rng.random() < 0.2 else apps[0]
    replies = (replied, replied + apps[1] - apps[0])
    out["replies_total"] = replies
    out.update(_legacy_split(replies, [r for r in rows if r in _LEGACY_REPLIES], rng))
    for key in _LEGACY_CASE_ROWS:
        now = _maybe(rng, 0.85, 1, 0.8, 50)
        out[key] = (now, _with_cumulative(now, rng))
    fee = _maybe(rng, 0.6, 200, 1.5, 10**6)
    out["fees_collected"] = (fee, _with_cumulative(fee, rng))
    return out


def _accumulate(values: dict[str, tuple[int, int]], previous: dict[str, dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Cumulative = last year's cumulative + this year's figure, for rows printed both years."""
    out = {}
    for key, (current, cumulative) in values.items():
        before = previous.get(key, {}).get("cumulative")
        out[key] = (current, cumulative if before is None else before + current)
    return out


def random_legacy_tables(rng: np.random.Generator, *, previous: Tables | None = None) -> Tables:
    """Draw the gold ``legacy_indicators`` table of a Fujian-style 附表 (2008–2018 reports).

    About 15 rows of the legacy template, in its order, in either the 2018 variant (channels
    当面/网上/信函、传真; replies 同意/部分/不予/其他) or the 2009 variant (传真/电子邮件/信函
    channels; 否决公开答复总数). Columns ``unit`` (条, 件, 元), ``current`` and ``cumulative`` with
    cumulative ≥ current; ``apps_total`` = Σ channels and ``replies_total`` = Σ replies in both
    value columns.

    ``previous`` (the same agency's legacy tables of the year before) keeps its rows and makes each
    cumulative figure last year's plus this year's, so cumulative series never decrease.
    """
    before = (previous or {}).get("legacy_indicators")
    rows = list(before) if before else _legacy_rows(rng)
    values = _legacy_values(rows, rng)
    if before:
        values = _accumulate(values, before)
    units = {"fees_collected": "元"} | {k: "件" for k in _LEGACY_CASE_ROWS}
    return {"legacy_indicators": {
        key: {"unit": units.get(key, "条"), "current": values[key][0], "cumulative": values[key][1]}
        for key in rows
    }}
