"""gxparse: the statistical tables of Chinese government information-disclosure annual reports as data.

>>> import gxparse
>>> report = gxparse.parse_file("report.txt")          # doctest: +SKIP
>>> report.tables["applications"].cell("new_received", "total").value   # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from gxparse.errors import (
    BinaryInputError,
    DataError,
    EmptyInputError,
    EncodingError,
    GxParseError,
    InputError,
    InputTooLargeError,
    InternalError,
    ModelError,
    ModelIncompatibleError,
    ModelNotFoundError,
    NotFittedError,
    ResourceLimitError,
    TemplateError,
    UnsupportedFormatError,
)
from gxparse.parser import parse, parse_file
from gxparse.realign import RealignModel, load_model
from gxparse.report import Cell, Check, Report, Table
from gxparse.template import get_template

if TYPE_CHECKING:  # the lazily imported names of ``_LAZY``, for type checkers
    from gxparse.batch_run import BatchResult, parse_many
    from gxparse.estimator import RealignClassifier
    from gxparse.links import Links, link

_LAZY = {
    "BatchResult": "gxparse.batch_run",
    "Links": "gxparse.links",
    "link": "gxparse.links",
    "parse_many": "gxparse.batch_run",
    "RealignClassifier": "gxparse.estimator",
}
"""Public names whose modules are imported on first use: the batch layer (process pool, writers), the
cross-year linker and the scikit-learn estimator would make ``import gxparse`` slow for a caller who
parses one report."""


def __getattr__(name: str) -> object:
    """Import the batch layer, the linker and the scikit-learn estimator only when asked for (see ``_LAZY``)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gxparse' has no attribute {name!r}")


try:
    __version__ = version("gxparse")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "BatchResult", "BinaryInputError", "Cell", "Check", "DataError", "EmptyInputError", "EncodingError", "GxParseError",
    "InputError", "InputTooLargeError", "InternalError", "Links", "ModelError", "ModelIncompatibleError",
    "ModelNotFoundError", "NotFittedError", "RealignClassifier", "RealignModel", "Report", "ResourceLimitError", "Table",
    "TemplateError", "UnsupportedFormatError", "__version__", "get_template", "link", "load_model", "parse", "parse_file",
    "parse_many",
]
