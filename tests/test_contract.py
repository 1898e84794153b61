"""The output contract document is generated from the template data and kept current."""

from __future__ import annotations

import gxparse
from gxparse.contract import contract_markdown
from gxparse.template import TEMPLATE_IDS, get_template
from tests.conftest import DEV, ROOT


def test_committed_contract_is_current():
    committed = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    assert committed == contract_markdown(), "regenerate: python -m gxparse.contract docs/CONTRACT.md"


def test_contract_lists_every_key_label_and_identity():
    text = contract_markdown()
    for template_id in TEMPLATE_IDS:
        template = get_template(template_id)
        assert f"## `{template_id}`" in text
        for table in template.tables:
            assert f"### `{table.key}`" in text
            assert all(f"| `{row.key}` |" in text and row.label in text for row in table.rows)
            assert all(f"| `{col.key}` |" in text for col in table.cols)
            assert all(f"`{ident.formula}`" in text for ident in table.identities)


def test_readme_links_to_the_contract_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/CONTRACT.md)" in readme and "../shared" not in readme


def test_every_check_carries_its_formula_and_description():
    report = gxparse.parse_file(DEV / "r201.txt")
    assert report.checks
    for check in report.checks:
        assert check.formula and check.description
        assert check.to_dict()["formula"] == check.formula
    failed = next(c for c in report.checks if c.status == "fail")
    assert " = " in failed.formula or " ≤ " in failed.formula
