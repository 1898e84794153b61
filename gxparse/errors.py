"""Exception and warning classes of gxparse.

Every error a caller can get from gxparse derives from :class:`GxParseError`, and each also
derives from the builtin that fits it best (``ValueError`` for bad content, ``FileNotFoundError``
for a missing model...), so ``except ValueError`` code written against other libraries keeps working.
Problems *inside* a readable report (identities that fail, cells the parser is unsure of) are not
exceptions: they are reported on the :class:`~gxparse.report.Report` as checks and warnings.

This module is a leaf: it imports nothing from gxparse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class GxParseError(Exception):
    """Base class of every error raised by gxparse."""


class InputError(GxParseError, ValueError):
    """The input cannot be read as a report: empty, binary, undecodable, unsupported format."""


class EmptyInputError(InputError):
    """The input is empty or holds only white space."""


class BinaryInputError(InputError):
    """The input looks like binary data (NUL bytes, control characters), not text."""


class EncodingError(InputError):
    """The bytes decode in none of the supported encodings (UTF-8, UTF-16, GB18030)."""


class UnsupportedFormatError(InputError):
    """The file type is not supported, or needs an optional extra that is not installed."""


class InputTooLargeError(InputError):
    """The input is larger than the configured size limit."""


class ResourceLimitError(GxParseError):
    """Parsing one input ran out of memory or time (a ``MemoryError``, or a batch's ``--timeout``/``--max-memory``)."""


class InternalError(GxParseError, RuntimeError):
    """A bug in gxparse met while parsing an input; the message names the input and the original exception."""


class TemplateError(GxParseError, ValueError):
    """An unknown template, table, row or column key, or a malformed template data file."""


class DataError(GxParseError, ValueError):
    """A training annotation is malformed (unknown keys, missing input file, bad values)."""


class ModelError(GxParseError):
    """Base class of problems with the realigner model artifact."""


class ModelNotFoundError(ModelError, FileNotFoundError):
    """The model artifact is missing or unreadable; the message names the retrain command."""


class ModelIncompatibleError(ModelError, ValueError):
    """The model was trained for another feature set or template version."""


class NotFittedError(ModelError, ValueError, AttributeError):
    """A realigner estimator was used before ``fit`` (scikit-learn semantics)."""


class GxParseWarning(UserWarning):
    """Base class of warnings emitted by gxparse."""


@contextmanager
def typed_errors(source: str | None) -> Iterator[None]:
    """Let only :class:`GxParseError` out of the block: wrap anything else, naming ``source``.

    ``MemoryError`` becomes :class:`ResourceLimitError`, ``RecursionError`` and any other
    ``Exception`` (a bug) :class:`InternalError`; the original is chained as ``__cause__``.
    ``KeyboardInterrupt`` and ``SystemExit`` pass through.
    """
    name = source or "the input"
    try:
        yield
    except GxParseError:
        raise
    except MemoryError as exc:
        raise ResourceLimitError(f"ran out of memory while parsing {name}") from exc
    except Exception as exc:
        raise InternalError(f"internal error while parsing {name}: {type(exc).__name__}: {exc}") from exc
