"""jieba's dictionary as an on-disk index, so the first parse does not load 350,000 words.

The label matcher segments words with spaCy's ``zh`` tokenizer and the jieba segmenter. jieba
builds a prefix dictionary of its whole word list (a marshal cache of ~9 MB in the temp directory)
before it segments anything; loading it takes seconds on a busy machine, while a report's labels
only ever look up a few thousand of its entries. :func:`install` builds the same prefix dictionary
once into an SQLite file under the user's cache directory and gives jieba's default tokenizer a
read-only view of it: jieba's algorithm, entries and total are unchanged, so segmentation is
identical (a test compares it with jieba's in-memory dictionary); only the loading differs.

If the cache directory cannot be written or read, nothing is installed and jieba loads its
dictionary as usual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from math import log
from pathlib import Path
from typing import Any

logger = logging.getLogger("gxparse")

CACHE_DIR_ENV = "GXPARSE_CACHE_DIR"
"""Environment variable naming the directory of gxparse's caches (default ``~/.cache/gxparse``)."""
_INSERT_BATCH = 50_000  # rows per executemany while building the index
MMAP_BYTES = 64 * 1024 * 1024
"""The index (~9 MB) is read through a memory map of up to this size: a word jieba has not asked
before costs a B-tree walk over mapped pages instead of reads through SQLite's small page cache
(a lookup about twice as fast once its pages are mapped; measured on the dev corpus's misses)."""
MEMO_MAX_WORDS = 200_000
"""The most looked-up words :class:`IndexedFreq` keeps in memory (about 30 MB) before it starts
afresh: jieba asks for every prefix of every new text fragment, so over a batch of thousands of
reports an unbounded memo would grow without end. The dev corpus with 300 synthetic reports asks
about 5,200 words, the 60 wild reports about 4,400 (real prose brings new words): the bound is met
only after tens of thousands of reports, and a fresh memo refills within a few reports."""


DIGIT_WORDS = ("1号店", "4S店", "4s店")
"""The words of jieba's dictionary that hold an ASCII digit (``tests/test_jieba_index.py`` reads them from
the dictionary); no word holds a ``0``."""
_DIGIT_WORD = re.compile("|".join(map(re.escape, DIGIT_WORDS)))
_NONZERO_DIGIT = re.compile("[1-9]")


def digit_shape(text: str) -> str:
    """``text`` with every ASCII digit written ``0``, or ``text`` itself when it holds a word of :data:`DIGIT_WORDS`.

    jieba reads a digit as a one-character non-word whatever its value: no word of its dictionary
    but :data:`DIGIT_WORDS` holds one, so in a text holding none of them every digit starts and
    ends no word, weighs as an unknown character, and its HMM cuts digit runs by character class
    only. A text and its shape (the same length) are cut into words at the same places. Callers
    whose own reading of a text sees digits only as digits (``\\d``, lengths) and whose vocabulary
    holds none can then compute on the shape once for every text of that shape (reports print
    the same lines and clauses with other figures).
    """
    if _DIGIT_WORD.search(text):
        return text
    return _NONZERO_DIGIT.sub("0", text)  # in C (a translation table looks each character up: 3x slower on a CJK line)


class IndexedFreq:
    """A read-only, memoising mapping ``word -> frequency`` over the SQLite index (jieba's ``FREQ``)."""

    def __init__(self, connection: sqlite3.Connection, total: int) -> None:
        self._connection = connection
        self._memo: dict[str, int | None] = {}
        self._weights: dict[str, Any] = {}
        """Per word :meth:`get_DAG` asked for: its log probability, :data:`_PREFIX` for a prefix that is no word,
        ``None`` for no entry (each word's logarithm taken once, not at every text holding it; a word is here
        only while it is in the memo, so this stays as bounded)."""
        self._logtotal = log(total)

    def _fetch(self, word: str) -> int | None:
        """Read ``word``'s frequency from the index (``None``: not an entry) and memoise it."""
        row = self._connection.execute("SELECT n FROM freq WHERE word = ?", (word,)).fetchone()
        if len(self._memo) >= MEMO_MAX_WORDS:  # bounded memory in a long batch: start afresh
            self._memo.clear()
            self._weights.clear()
        value = self._memo[word] = row[0] if row else None
        return value

    # jieba asks these millions of times: the memo is read inline, the index only on a miss
    def __contains__(self, word: object) -> bool:
        try:
            return self._memo[word] is not None  # type: ignore[index]
        except KeyError:
            return isinstance(word, str) and self._fetch(word) is not None
        except TypeError:  # unhashable: no word
            return False

    def __getitem__(self, word: str) -> int:
        try:
            value = self._memo[word]
        except KeyError:
            value = self._fetch(word)
        if value is None:
            raise KeyError(word)
        return value

    def get(self, word: str, default: int | None = None) -> int | None:
        """Return the frequency of ``word`` (0 for a prefix that is no word), or ``default``."""
        try:
            value = self._memo[word]
        except KeyError:
            value = self._fetch(word)
        return default if value is None else value

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 (jieba's name)
        """jieba's ``Tokenizer.get_DAG`` over this index: each position → the ends of the words starting there.

        The same algorithm, with the memo read inline: jieba asks ``frag in FREQ`` and then
        ``FREQ[frag]`` for every prefix of every position, two method calls a lookup, which were
        most of segmenting a new text (profiled). The DAG also carries each word's log probability
        (:class:`_WeightedDag`), kept per word once asked (:attr:`_weights`), so that :meth:`calc` need not
        cut and look up every word a second time, nor this take its logarithm at every text holding it.
        """
        known = self._weights
        unknown = log(1) - self._logtotal  # jieba's weight of a word the dictionary lacks: log(freq or 1) - log(total)
        dag = _WeightedDag()
        weights = dag.weights
        n = len(sentence)
        for k in range(n):
            ends = []
            word_weights = []
            i = k
            frag = sentence[k]
            while i < n:
                weight = known.get(frag, _UNSEEN)
                if weight is _UNSEEN:
                    weight = self._weight(frag)
                if weight is None:  # no word begins so: no longer fragment is one either (a prefix dictionary)
                    break
                if weight is not _PREFIX:
                    ends.append(i)
                    word_weights.append(weight)
                i += 1
                frag = sentence[k:i + 1]
            if ends:
                dag[k], weights[k] = ends, word_weights
            else:  # the character alone, a word or not: its frequency is 0 or none, weighed as 1
                dag[k], weights[k] = [k], [unknown]
        return dag

    def _weight(self, word: str) -> Any:
        """``word``'s entry in :attr:`_weights`, from its frequency (``log(freq) - log(total)``, as jieba weighs it)."""
        count = self._memo.get(word, _UNSEEN)
        if count is _UNSEEN:
            count = self._fetch(word)
        weight = self._weights[word] = None if count is None else log(count) - self._logtotal if count else _PREFIX
        return weight

    def calc(self, sentence: str, dag: _WeightedDag, route: dict[int, tuple[float, int]]) -> None:
        """jieba's ``Tokenizer.calc`` over this index: the most probable segmentation, right to left, into ``route``.

        The same sums in the same order (``log(freq or 1) - log(total) + route[end + 1]``, the first
        difference computed once per word by :meth:`get_DAG`, whose DAG this must be) and the same
        choice among equal scores (``max`` over ``(score, end)`` pairs).
        """
        weights = dag.weights
        route[len(sentence)] = (0, 0)
        for idx in range(len(sentence) - 1, -1, -1):
            ends = dag[idx]
            if len(ends) == 1:  # most positions: one word (or the character alone), no choice to make
                end = ends[0]
                route[idx] = (weights[idx][0] + route[end + 1][0], end)
            else:
                best: tuple[float, int] | None = None
                for x, weight in zip(ends, weights[idx]):
                    candidate = (weight + route[x + 1][0], x)
                    if best is None or candidate > best:
                        best = candidate
                route[idx] = best  # type: ignore[assignment]

    def cut_dag(self, sentence: str) -> list[str]:
        """jieba's ``Tokenizer.__cut_DAG`` (its cut of a block of word characters, with the HMM) over this index.

        The same words: the route's words of two or more characters as they are, and each run of single
        characters between them as jieba cuts it (alone if one character, by the HMM if the run is no word,
        else character by character). The run is a slice of the text found at its end, not a string grown
        a character at a time, and the words are a list, not a generator's items (the walk was a fifth of
        segmenting a new key, profiled).
        """
        dag = self.get_DAG(sentence)
        route: dict[int, tuple[float, int]] = {}
        self.calc(sentence, dag, route)
        words: list[str] = []
        n = len(sentence)
        run = x = 0  # where the run of single characters before ``x`` begins
        while x < n:
            y = route[x][1] + 1
            if y - x > 1:
                if run < x:
                    self._cut_run(sentence[run:x], words)
                words.append(sentence[x:y])
                run = y
            x = y
        if run < n:
            self._cut_run(sentence[run:], words)
        return words

    def _cut_run(self, run: str, words: list[str]) -> None:
        """Add jieba's words of ``run``, characters the route left alone, to ``words``."""
        if len(run) == 1:
            words.append(run)
        elif not self.get(run):
            from jieba import finalseg  # jieba is loaded by then (:func:`install`); gxparse's import does not load it

            words.extend(finalseg.cut(run))
        else:
            words.extend(run)


class _WeightedDag(dict):  # type: ignore[type-arg]
    """jieba's DAG (position → ends of the words starting there), with each word's log probability
    (``weights``: position → one per end, in the same order)."""

    def __init__(self) -> None:
        super().__init__()
        self.weights: dict[int, list[float]] = {}


_UNSEEN = object()
"""A word the memo has not been asked about (the memo holds ``None`` for a word the index lacks)."""
_PREFIX = object()
"""The weight :meth:`IndexedFreq.get_DAG` keeps for a prefix of words that is no word itself (frequency 0)."""


def cache_dir() -> Path:
    """The directory of gxparse's caches: ``$GXPARSE_CACHE_DIR``, else the per-user cache directory
    (``~/.cache/gxparse`` on Linux, from platformdirs)."""
    from platformdirs import user_cache_dir

    explicit = os.environ.get(CACHE_DIR_ENV)
    return Path(explicit) if explicit else Path(user_cache_dir("gxparse"))


def install(tokenizer: Any) -> bool:
    """Give an uninitialised jieba ``Tokenizer`` of the default dictionary the on-disk index.

    Returns True when the index is in place, False when jieba is left to load its dictionary.
    """
    import jieba

    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        return False
    source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        stat = source.stat()
        index = cache_dir() / f"jieba-{jieba.__version__}-{stat.st_size}-{stat.st_mtime_ns}.sqlite"
        if not index.exists():
            _build(source, index)
        # immutable: the index is never written once in place (built aside, then renamed), so SQLite
        # may skip the file lock and change check it otherwise makes around every lookup (which
        # tripled the cost of a word jieba had not asked before: ~40 µs → ~12 µs, measured)
        connection = sqlite3.connect(f"{index.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        total = connection.execute("SELECT total FROM meta").fetchone()[0]
    except (OSError, sqlite3.Error, TypeError) as exc:
        logger.info("jieba dictionary index unavailable (%s); jieba loads its dictionary", exc)
        return False
    freq = IndexedFreq(connection, total)
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        # jieba's cut calls these through the instance: the index's own versions read the memo inline
        tokenizer.get_DAG = freq.get_DAG
        tokenizer.calc = freq.calc  # the DAG's own word weights (jieba's total is this index's, fixed)
        tokenizer._Tokenizer__cut_DAG = freq.cut_dag  # jieba's cut asks for its block cut by this (mangled) name
    return True


def _build(source: Path, index: Path) -> None:
    """Write jieba's prefix dictionary of ``source`` into the SQLite file ``index`` (atomically)."""
    import jieba

    with source.open("rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    index.parent.mkdir(parents=True, exist_ok=True)
    partial = index.with_name(f"{index.name}.{os.getpid()}.partial")
    with contextlib.closing(sqlite3.connect(partial)) as connection:
        connection.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        connection.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        items = list(freq.items())
        for start in range(0, len(items), _INSERT_BATCH):
            connection.executemany("INSERT INTO freq VALUES (?, ?)", items[start:start + _INSERT_BATCH])
        connection.execute("INSERT INTO meta VALUES (?)", (total,))
        connection.commit()
    os.replace(partial, index)
