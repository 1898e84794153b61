"""The shortcuts of the parse's smaller stages give what the plain computations give.

Each test pins one mechanism against the computation it replaced, or the Unicode fact it rests on:
- metadata: the sign-off search folding (NFKC) and compacting the whole text at once against doing it line by
  line (NFKC makes and composes no line break; white space other than a space is not printable), and the title
  match's ending test against running the title pattern on every line;
- white space dropped by ``str.split`` against the ``\\s`` pattern (they agree on every code point);
- normalisation: the label key's two dropping passes against the one pattern they replaced, and replacing the
  characters that change against translating every character;
- the patterns of normalisation, metadata and location written to begin with a character against the ones that
  began with a look-behind;
- facts: a Matcher per pattern against one Matcher holding all the patterns a clause asks for;
- location: a region's trailing number and a sentence's last break searched for in tails against the patterns over
  the whole stretch;
- checking: an instance's cells read together, left and right, absent ones told by the plan, against each instance's
  cells looked up on their own.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

from gxparse import facts, locate, metadata, normalize, parse_file, validate
from gxparse.jieba_index import digit_shape
from gxparse.normalize import normalize_text
from gxparse.report import Cell, Table
from gxparse.template import TableSpec, get_template

DEV = Path(__file__).resolve().parents[1] / "training_data/dev"


def _dev_texts(limit: int = 12) -> list[str]:
    """Normalised texts of a few dev reports."""
    return [normalize_text(path.read_text(encoding="utf-8")).text for path in sorted(DEV.glob("*.txt"))[:limit]]


def test_nfkc_makes_no_line_break_and_keeps_each() -> None:
    breaks = set(metadata.LINE_BREAKS)
    assert breaks == {ch for ch in map(chr, range(0x110000)) if len(f"a{ch}b".splitlines()) == 2}
    for ch in breaks:
        assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0
    for code in range(0x110000):
        ch = chr(code)
        if ch not in breaks:
            assert not breaks.intersection(unicodedata.normalize("NFKC", ch)), hex(code)


def test_white_space_other_than_a_space_is_not_printable() -> None:
    assert all(not ch.isprintable() for ch in map(chr, range(0x110000)) if ch.isspace() and ch != " ")
    assert all(bool(re.fullmatch(r"\s", ch)) == ch.isspace() for ch in map(chr, range(0x110000)))


def test_dropping_white_space_by_split_equals_the_pattern() -> None:
    spaces = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    texts = [f"a{spaces}b|c{spaces[::-1]}|", *(text[:2000] for text in _dev_texts())]
    for text in texts:
        assert facts._visible(text) == re.sub(r"[\s|]", "", text)
        assert metadata._compact(text) == re.sub(r"\s+", "", text)


def _signature_by_line(text: str) -> tuple[str | None, str | None]:
    """The sign-off search as it was: each line NFKC-folded and compacted on its own."""
    lines = [metadata._compact(unicodedata.normalize("NFKC", line))
             for line in text[: metadata._SIGNATURE_SEARCH_CHARS].splitlines()]
    lines = [line for line in lines if line]
    found: tuple[str | None, str | None] = (None, None)
    for above, line in zip(lines, lines[1:]):
        date = metadata._DATE_LINE.match(line)
        if date and metadata._AGENCY_LINE.fullmatch(above) and metadata._iso_date(date):
            found = (above, metadata._iso_date(date))
    return found


def test_signature_equals_the_search_line_by_line() -> None:
    made = [
        "正文\r\n\r\n某某市 人民政府\u3000办公室\r\n ２０２４年１月\u00a0５日 \r\n",
        "某某县财政局\x1c2023-12-31\u2028\t某某镇人民政府\x85(2024.1.2)\n \u3000\n",
        "某某区教育局\n\n  \n2024 年 2 月 30 日\n某某区教育局\r2024年2月3日",
        "某某区\t教育局\n2024年2月3日\n\u00ad", "某某区教育局\n\u20002024年2月4日",
        "2024年1月1日\n某某局\n\n（2024年1月2日）\n2023年工作\n2024-1-3", "\n\n2024年1月5日\n2024年1月6日",
    ]
    texts = made + _dev_texts()
    found = [metadata._signature(text) for text in texts]
    assert found == [_signature_by_line(text) for text in texts]
    assert found[0] == ("某某市人民政府办公室", "2024-01-05") and found[2] == ("某某区教育局", "2024-02-03")


def test_a_title_ends_as_the_ending_test_expects() -> None:
    lines = [metadata._compact(line) for text in _dev_texts(40) for line in text.splitlines()[:60]]
    lines += ["某某局2023年政府信息公开工作年度报告", "(某某局2023年度信息公开年报）", "2023年政务公开报告)",
              "某某局2023年政府信息公开工作年度报告(全文)", "政府信息公开报告附件"]
    matched = [line for line in lines if metadata._TITLE.fullmatch(line)]
    assert len(matched) >= 4
    assert all(line.endswith(metadata._TITLE_ENDINGS) for line in matched)


def test_label_key_drops_what_the_one_pattern_dropped() -> None:
    one_pass = re.compile(r"(?<=[\u4e00-\u9fff])\([a-z]+\)|[\s\"'“”‘’「」『』\u3000|*:：,，、.。;；()\[\]（）《》<>〈〉]")
    labels = [name for template_id in ("gov2021", "gov2019", "legacy") for table in get_template(template_id).tables
              for entry in (*table.rows, *table.cols) for name in (entry.label, *entry.aliases)]
    texts = labels + [line for text in _dev_texts(40) for line in text.splitlines()] + [
        "行政许可(a)", "许可 (b) 处罚(c)(d)", "((a))", "中(ab c)", "中(A)", "(a)开头", "中(a", "中a)", "中（a）"]
    for text in texts:
        folded = unicodedata.normalize("NFKC", text)
        dropped = normalize._DROP.sub("", normalize._LETTER_NOTE.sub("", folded) if "(" in folded else folded)
        assert dropped == one_pass.sub("", folded), text


def test_replacing_the_changed_characters_equals_translating_each() -> None:
    assert all(normalize._CHAR_MAP[code] == chr(code) for code in range(0x4E00, 0xA000))
    assert all(normalize._CHAR_MAP[code] == chr(code) for code in range(0x80))
    made = ["（七）總計\u00a0１２，其中：３\u3000件", "\ufe32与\u2013并存－", "㈠本年\u200b新收①件\r\n",
            "〔2024〕【表二】．、", ""]
    for text in made + [path.read_text(encoding="utf-8") for path in sorted(DEV.glob("*.txt"))]:
        assert normalize._translate(text) == text.translate(normalize._CHAR_MAP), text[:40]


def _checks_instance_by_instance(spec: TableSpec, table: Table) -> list[tuple[object, ...]]:
    """Checking as first written: each instance's cells looked up on their own, an absent one found by ``KeyError``."""
    def values(cells: list[tuple[str, str]]) -> list[float | None] | None:
        try:
            return [v if isinstance(v := table.rows[r][c].value, (int, float)) else None for r, c in cells]
        except KeyError:
            return None

    text_cols = {c.key for c in spec.cols if c.kind == "unit"}
    cols = list(dict.fromkeys(c for row in table.rows.values() for c in row))
    out = []
    for ident in spec.identities:
        for scope, left, right in validate._instances(ident, table, cols):
            if (ident.per == "col" and scope in text_cols) or not left or not right:
                continue
            lv, rv = values(left), values(right)
            status = ("not_assessable", None, None) if lv is None or rv is None else validate.identity_status(
                lv, rv, ident.relation)
            out.append((ident.id, scope, *status, tuple(f"{table.key}.{r}.{c}" for r, c in left + right)))
    return out


def test_the_last_break_searched_in_tails_is_the_last_of_all() -> None:
    rng = random.Random(16)
    pieces = ["\n", "|", " ", "  ", "\t", "\u3000", "政", "府信息", "3", "12", "件", "年", ",", "a", "政" * 90, " " * 80]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        plain = [m.end() for m in locate._SENTENCE_BREAK.finditer(text, start, end)
                 if not locate._WRAPPED_NUMBER.match(text, m.start())]
        assert locate._last_break(text, start, end) == max(plain, default=None)


def test_checks_read_as_instance_by_instance() -> None:
    rng = random.Random(16)
    for path in sorted(DEV.glob("*.txt"))[:6]:
        report = parse_file(path)
        for key, table in report.tables.items():
            spec = get_template(report.template or "").table(key)
            for _ in range(20):
                rows = {r: {c: cell for c, cell in cells.items() if rng.random() > 0.1} for r, cells in table.rows.items()
                        if rng.random() > 0.1}
                rows = {r: {c: Cell(rng.choice([cell.value, None, "无", 0, 2.5]), cell.raw, cell.span) if rng.random() < 0.2
                            else cell for c, cell in cells.items()} for r, cells in rows.items()}
                trial = Table(key, rows, {}, report.template)
                assert [(c.id, c.scope, c.status, c.left, c.right, c.cells) for c in validate.check_table(spec, trial)] \
                    == _checks_instance_by_instance(spec, trial)


def test_the_trailing_number_searched_in_tails_is_the_one_of_the_region() -> None:
    rng = random.Random(16)
    pieces = ["0", "12", "3.5", ".", "\n", " ", "年", "件", "٣", "7" * 70, "8" * 150 + ".", "9" * 200]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        plain = re.search(r"\d+(?:\.\d+)?$", text[start:end])
        assert locate._trailing_number(text, start, end) == (None if plain is None else start + plain.start())


def test_patterns_beginning_with_a_character_find_what_the_look_behind_ones_found() -> None:
    wrap_before = re.compile(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])")
    zero_before = re.compile(r"(?:(?<=[\s|\t])|^)[" + normalize.ZERO_SHAPES + r"](?=[\s|]|$)", re.MULTILINE)
    spaced_before = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年度?(?!\s*[\d月])")
    any_before = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})年度?(?![\d月])")
    stop_before = re.compile(locate._STOP.pattern.replace("[五六七八](?<![(第].)", "(?<![(第])[五六七八]"))
    made = ["〇 1 o\n零|O\t○\nxO o\no", "O", "二〇二三年 〇\n\n〇|", "行政处\n罚\n\n许可\n1\n可", "\n许\n",
            "2023年12023年2019 年度\n20240年 1920年月 五、(五、第六 、七、。", "五、2020年"]
    assert stop_before.pattern != locate._STOP.pattern
    for text in made + _dev_texts(40):
        assert [m.span() for m in metadata._ANY_YEAR.finditer(text)] == [m.span() for m in any_before.finditer(text)]
        assert [m.span() for m in metadata._SPACED_YEAR.finditer(text)] == [m.span() for m in spaced_before.finditer(text)]
        assert [m.span() for m in locate._STOP.finditer(text)] == [m.span() for m in stop_before.finditer(text)]
        assert [m.span() for m in normalize._WRAP_BREAK.finditer(text)] == [m.span() for m in wrap_before.finditer(text)]
        assert [m.span() for m in normalize._ZERO_CELL.finditer(text)] == [m.span() for m in zero_before.finditer(text)]


def test_a_matcher_per_pattern_finds_what_one_matcher_of_the_set_finds() -> None:
    from spacy.matcher import Matcher

    nlp = facts._nlp()
    clauses = {digit_shape(c.compact) for text in _dev_texts(40) for c in facts._clauses(text, ())}
    compared = 0
    for clause in sorted(clauses):
        wanted = facts._screen(clause)
        if not wanted:
            continue
        matcher, bounds = Matcher(nlp.vocab), {}
        for key, tier in wanted:
            _, name, bounds[name] = facts._matcher(key, tier)
            pattern = facts.PATTERNS[key][tier]
            deny = facts._GAP_DENY[key] + (() if pattern.startswith("0 ") else facts._NUMBER_GAP_DENY.get(key, ()))
            matcher.add(name, [facts._compile(pattern, deny)[0]])
        doc = nlp.make_doc(clause)
        facts._merge_numerals(doc)
        for token in doc:
            token.norm_ = facts._token_class(token.text)
        names = nlp.vocab.strings
        together = [(names[i], start, end) for i, start, end, alignment in matcher(doc, with_alignments=True)
                    if facts._gaps_fit(alignment, bounds[names[i]])]
        matches = facts._segment.__wrapped__(clause, wanted).matches
        assert sorted(matches) == sorted(together), clause
        assert [m[1:] for m in matches] == sorted(m[1:] for m in together)
        compared += bool(matches)
    assert compared >= 50
