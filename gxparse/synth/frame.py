"""Narrative frame of a synthetic report and the writer interface the layouts implement.

Real reports put prose with numbers around the tables (“全年主动公开政府信息219条”), which a parser
must not mistake for table cells; the frame reproduces that: title, 一、总体情况, the three table
sections with an optional sentence each, then 五 and 六 and a signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gxparse.synth.model import Builder, LogicalTable, Style
from gxparse.synth.values import heavy
from gxparse.synth.variants import NO_VARIATION, PrintedHeading, Variation

_PLACES = ("绵阳市安州区", "湖北省", "上海市静安区", "平潭综合实验区", "淮安市洪泽区", "杭州市西湖区",
           "宁国市", "怀化市鹤城区", "泉州市洛江区", "定西市安定区", "成都市武侯区", "佛山市南海区")
_DEPTS = ("人力资源和社会保障局", "人民政府", "交通运输局", "自然资源和规划局", "住房和城乡建设局",
          "市场监督管理局", "生态环境局", "财政局", "教育局", "卫生健康委员会", "人民政府办公室", "科学技术委员会")
OVERVIEW_HEADING = "一、总体情况"
TAIL_HEADINGS = ("五、存在的主要问题及改进情况", "六、其他需要报告的事项")


class Writer:
    """Base of the layout writers: prints paragraphs, headings and tables into a :class:`Builder`."""

    sep = "\n"

    def __init__(self, builder: Builder, style: Style, rng: np.random.Generator) -> None:
        self.b = builder
        self.style = style
        self.rng = rng

    def para(self, text: str) -> None:
        """Print a prose paragraph."""
        self.b.text(text + self.sep)

    def heading(self, text: str) -> None:
        """Print a section heading (by default like a paragraph)."""
        self.para(text)

    def heading_pieces(self, pieces: tuple[str, ...]) -> None:
        """Print a heading split over several lines or cells (by default one heading line per piece)."""
        for piece in pieces:
            self.heading(piece)

    def table(self, table: LogicalTable) -> None:
        """Print one table; every layout overrides this."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the document (closing tags, final newline)."""
        self.b.text("" if self.b.getvalue().endswith("\n") else "\n")


@dataclass(frozen=True)
class Prose:
    """The prose of one report: paragraphs before the tables, one note per table, the tail."""

    head: tuple[tuple[str, str], ...]
    notes: dict[str, str]
    tail: tuple[tuple[str, str], ...]


def org_name(rng: np.random.Generator) -> str:
    """A plausible issuing organ (place + department)."""
    return str(rng.choice(_PLACES)) + str(rng.choice(_DEPTS))


def gold_cell(tables: dict[str, Any], table: str, row: str, col: str) -> Any:
    """The gold value at ``table.row.col``, ``None`` when blank or absent."""
    return tables.get(table, {}).get(row, {}).get(col)


def _table_notes(tables: dict[str, Any], rng: np.random.Generator) -> dict[str, str]:
    notes = {}
    docs = tables.get("active_disclosure", {}).get("normative_documents", {})
    issued = docs.get("issued", docs.get("newly_made"))
    in_force = docs.get("in_force", docs.get("total_published"))
    if issued is not None and in_force is not None and rng.random() < 0.35:
        notes["active_disclosure"] = f"全年制发行政规范性文件{issued}件，现行有效{in_force}件。"
    new = gold_cell(tables, "applications", "new_received", "total")
    carried = gold_cell(tables, "applications", "carried_over", "total")
    if new is not None and rng.random() < 0.35:
        notes["applications"] = f"本年度共收到政府信息公开申请{new}件，上年结转{carried or 0}件。"
    review = gold_cell(tables, "review_litigation", "cases", "review_total")
    if review is not None and rng.random() < 0.35:
        notes["review_litigation"] = f"本年度因政府信息公开工作被申请行政复议{review}件。"
    return notes


def gov_prose(tables: dict[str, Any], year: int, rng: np.random.Generator, org: str | None = None) -> Prose:
    """Draw the narrative of a gov2021/gov2019 report for ``year`` (issued by ``org``, default drawn)."""
    drawn = org_name(rng)
    org = org or drawn
    published = heavy(rng, 200, 1.2, 50000)
    kinds = rng.multinomial(published, [0.2, 0.5, 0.3])
    new = gold_cell(tables, "applications", "new_received", "total")
    head = [
        ("para", f"{org}{year}年政府信息公开工作年度报告"),
        ("para", f"发布时间：{year + 1}-01-{int(rng.integers(5, 31)):02d}"),
        ("para", f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）相关规定，编制本报告。本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"),
        ("heading", OVERVIEW_HEADING),
        ("para", f"{year}年，{org}深入贯彻落实《条例》，全年主动公开政府信息{published}条，其中机构职能类{kinds[0]}条，政策文件类{kinds[1]}条，其他类{kinds[2]}条。"),
        ("para", f"（二）依申请公开。全年共收到政府信息公开申请{new if new is not None else 0}件，均在法定期限内答复。"),
    ]
    fee = int(rng.integers(0, 3)) * heavy(rng, 300, 1.0, 10**5)
    tail = [
        ("heading", TAIL_HEADINGS[0]),
        ("para", f"{year}年，我单位政府信息公开工作取得一定成效，但仍存在政策解读形式不够丰富等问题。下一步将组织培训{int(rng.integers(1, 9))}次，进一步提升公开质量。"),
        ("heading", TAIL_HEADINGS[1]),
        ("para", f"本年度收取信息处理费{fee}元。" if fee else "本年度未收取信息处理费，无其他需要报告的事项。"),
        ("para", org),
        ("para", f"{year + 1}年1月{int(rng.integers(5, 31))}日"),
    ]
    return Prose(tuple(head), _table_notes(tables, rng), tuple(tail))


def print_heading(writer: Writer, printed: PrintedHeading) -> None:
    """Print a heading as ``printed`` decides: absent, whole, or split over lines/cells."""
    if len(printed.pieces) == 1:
        writer.heading(printed.pieces[0])
    elif printed.pieces:
        writer.heading_pieces(printed.pieces)


def _write_prose(writer: Writer, parts: tuple[tuple[str, str], ...], variation: Variation) -> None:
    for kind, text in parts:
        if kind == "heading":
            print_heading(writer, variation.heading(text))
        else:
            writer.para(text)


def write_gov(writer: Writer, prose: Prose, tables: tuple[LogicalTable, ...], year: int,
              variation: Variation | None = None) -> None:
    """Print a gov report: head prose, each table under its heading with its note, tail prose.

    ``variation`` (default: none) changes the frame as the report's variants say: headings
    mangled, split, repeated or absent, tables reordered or moved to a 附表 after the tail, the
    sections announced in the preamble, numbered lines and number-bearing prose around tables, or
    only one table printed with no frame at all (``excerpt_one_table``).
    """
    variation = variation or NO_VARIATION
    if "excerpt_one_table" in variation:
        printed = [t for t in tables if t.blocks]
        for table, heading in zip(printed, variation.headings([t.heading for t in printed])):
            print_heading(writer, heading)
            writer.table(table)
        writer.close()
        return
    head = prose.head
    if "preamble_toc" in variation:
        kind, lines = variation.toc([OVERVIEW_HEADING, *(t.heading for t in tables), *TAIL_HEADINGS])
        announce = tuple(("para" if kind == "sentence" or i == 0 else "heading", line) for i, line in enumerate(lines))
        head = head[:3] + announce + head[3:]
    _write_prose(writer, head, variation)
    ordered = [tables[i] for i in variation.order(len(tables))]
    headings = variation.headings([t.heading for t in ordered])
    appendix = "appendix_tables" in variation
    for number, (table, heading) in enumerate(zip(ordered, headings), start=1):
        print_heading(writer, heading)
        if table.key in prose.notes:
            writer.para(prose.notes[table.key])
        if "numbering_clash" in variation and table.key == "applications":
            for line in variation.numbered_lines():
                writer.heading(line)
        if not table.blocks:
            continue
        if appendix:
            writer.para(f"具体情况详见附表{number}。")
            continue
        _write_table(writer, table, heading, year, variation)
    _write_prose(writer, prose.tail, variation)
    if appendix:
        for number, (table, heading) in enumerate(zip(ordered, headings), start=1):
            if table.blocks:
                writer.heading(f"附表{number}")
                print_heading(writer, variation.heading(table.heading.split("、", 1)[-1]))
                _write_table(writer, table, PrintedHeading(()), year, variation)
    writer.close()


def _write_table(writer: Writer, table: LogicalTable, heading: PrintedHeading, year: int, variation: Variation) -> None:
    before = variation.narrative(year, "before")
    if before:
        writer.para(before)
    if heading.repeat and heading.pieces:
        print_heading(writer, PrintedHeading(heading.pieces))
    writer.table(table)
    after = variation.narrative(year, "after")
    if after:
        writer.para(after)
