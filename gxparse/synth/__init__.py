"""Seeded generator of synthetic 政府信息公开工作年度报告 with gold tables and cell spans.

Used to train and benchmark the parser: :func:`random_tables` / :func:`random_legacy_tables` draw
gold tables that satisfy the template identities, :func:`render` prints them in one of
:data:`LAYOUTS` (each modelled on real inputs of the dev corpus), and :func:`make_corpus` writes a
deterministic corpus in the gold annotation format, with the report variants of
:mod:`gxparse.synth.variants` at a chosen rate. :func:`make_series` writes agency series:
consecutive years linked by carried-over figures, with prose that restates key figures.
"""

from __future__ import annotations

from gxparse.synth.corpus import make_corpus
from gxparse.synth.facts import FACT_KEYS
from gxparse.synth.render import LAYOUTS, RenderedReport, render
from gxparse.synth.series import make_series
from gxparse.synth.values import random_legacy_tables, random_tables
from gxparse.synth.variants import DEFAULT_VARIANT_RATE, VARIANTS

__all__ = ["DEFAULT_VARIANT_RATE", "FACT_KEYS", "LAYOUTS", "VARIANTS", "RenderedReport", "make_corpus", "make_series",
           "random_legacy_tables", "random_tables", "render"]
