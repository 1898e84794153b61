"""jieba's dictionary read from the on-disk index segments exactly like jieba's own dictionary."""

from __future__ import annotations

import re
from pathlib import Path

import jieba
import pytest

from gxparse import jieba_index
from gxparse.normalize import label_key
from gxparse.template import TEMPLATE_IDS, get_template
from tests.conftest import DEV

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,40}")


def _texts() -> list[str]:
    texts = {label_key(label) for t in TEMPLATE_IDS for table in get_template(t).tables
             for row in table.rows for label in (row.label, *row.aliases)}
    for path in sorted(DEV.glob("*.txt")):
        texts.update(_HAN_RUN.findall(path.read_text(encoding="utf-8")))
    return sorted(t for t in texts if t)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(jieba_index.CACHE_DIR_ENV, str(tmp_path_factory.mktemp("cache")))
        assert jieba_index.install(tokenizer)
        assert list(jieba_index.cache_dir().glob("jieba-*.sqlite"))
    return tokenizer


def test_indexed_dictionary_segments_like_jieba(indexed: jieba.Tokenizer) -> None:
    reference = jieba.Tokenizer()
    reference.initialize()
    texts = _texts()
    assert len(texts) > 1000
    assert indexed.total == reference.total
    for text in texts:
        assert indexed.lcut(text) == reference.lcut(text), text


def test_install_leaves_an_initialised_tokenizer_alone(indexed: jieba.Tokenizer) -> None:
    assert not jieba_index.install(indexed)


def test_unwritable_cache_falls_back_to_jieba(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(jieba_index.CACHE_DIR_ENV, str(blocker / "cache"))
    tokenizer = jieba.Tokenizer()
    assert not jieba_index.install(tokenizer)
    assert not tokenizer.initialized


def test_memo_stays_bounded(indexed: jieba.Tokenizer, monkeypatch: pytest.MonkeyPatch) -> None:
    freq = indexed.FREQ
    assert isinstance(freq, jieba_index.IndexedFreq)
    monkeypatch.setattr(jieba_index, "MEMO_MAX_WORDS", 50)
    words = [f"词{n}" for n in range(200)] + ["政府", "信息"]
    answers = [word in freq for word in words]
    assert len(freq._memo) <= 50
    assert answers[-2:] == [True, True]  # looked up afresh after the memo started over
    assert [word in freq for word in words] == answers


def _line_keys() -> list[str]:
    """The keys of dev's lines: labels with their values, numbering, Latin letters (jieba's blocks mix them)."""
    keys = {label_key(line) for path in sorted(DEV.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()}
    return sorted(k for k in keys if k)


def test_the_index_builds_jiebas_dag_and_route(indexed: jieba.Tokenizer) -> None:
    # the instance's own get_DAG / calc (the index's, reading its memo inline, each word weighed once
    # in get_DAG) against jieba's methods: the same DAG and the same route, scores equal to the bit
    texts = _texts()[:3000] + _line_keys()[:1500]
    assert any(ch.isdigit() for text in texts for ch in text)
    for text in texts:
        dag = jieba.Tokenizer.get_DAG(indexed, text)
        weighted = indexed.get_DAG(text)
        assert weighted == dag, text
        route: dict[int, tuple[float, int]] = {}
        jieba.Tokenizer.calc(indexed, text, dag, route)
        fast: dict[int, tuple[float, int]] = {}
        indexed.calc(text, weighted, fast)
        assert fast == route, text


def test_digit_words_are_the_dictionarys() -> None:
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).read_text(encoding="utf-8")
    with_digit = re.findall(r"^([^ \n]*[0-9][^ \n]*) ", dictionary, flags=re.M)
    assert sorted(with_digit) == sorted(jieba_index.DIGIT_WORDS)
    assert not any("0" in word for word in with_digit)  # the digit a shape writes is in no word


def test_a_text_is_cut_like_its_digit_shape() -> None:
    import random

    rng = random.Random(5012)
    keys = _line_keys()
    keys += ["".join(rng.choice("0123456789") if ch.isdigit() else ch for ch in k) for k in keys if any(map(str.isdigit, k))]
    keys += ["本年度1号店受理申请12件", "4S店3家", "收费0.35万元", "2.5%"]
    checked = 0
    for key in keys:
        shape = jieba_index.digit_shape(key)
        assert len(shape) == len(key)
        words, shaped = jieba.lcut(key), jieba.lcut(shape)
        assert [len(w) for w in words] == [len(w) for w in shaped], key
        checked += shape != key
    assert checked > 300
    assert jieba_index.digit_shape("1号店受理申请12件") == "1号店受理申请12件"
