"""``gxparse review``: a local web page to review and correct pre-filled annotations.

:mod:`gxparse.review.store` reads, checks and saves the annotations; :mod:`gxparse.review.server`
serves them and the page in ``static/`` on 127.0.0.1. Needs the ``gxparse[review]`` extra (Bottle).
"""

from __future__ import annotations

from gxparse.review.server import ReviewServer, make_app, serve

__all__ = ["ReviewServer", "make_app", "serve"]
