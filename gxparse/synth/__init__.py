"""Seeded generator of synthetic 政府信息公开工作年度报告 with gold tables and cell spans.

Used to train and benchmark the parser: :func:`random_tables` / :func:`random_legacy_tables` draw
gold tables that satisfy the template identities, :func:`render` prints them in one of
:data:`LAYOUTS` (each modelled on real inputs of the dev corpus), and :func:`make_corpus` writes a
deterministic corpus in the gold annotation format.
"""

from __future__ import annotations

from gxparse.synth.corpus import make_corpus
from gxparse.synth.render import LAYOUTS, RenderedReport, render
from gxparse.synth.values import random_legacy_tables, random_tables

__all__ = ["LAYOUTS", "RenderedReport", "make_corpus", "random_legacy_tables", "random_tables", "render"]
