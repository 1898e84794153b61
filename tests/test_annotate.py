"""Pre-filled annotations, review status in check-data and train, picking what to annotate next."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from gxparse.annotate import REVIEW_KEY, annotate_file, doubtful_cells, is_reviewed
from gxparse.check_data import UNREVIEWED_PROBLEM, check_paths
from gxparse.cli import main
from gxparse.errors import DataError
from gxparse.parser import parse_file
from gxparse.pick import Candidate, pick, rarity
from gxparse.train import load_annotated, train_model
from tests.conftest import DEV, dev_gold


def _annotate(tmp_path, report_id, ext="txt"):
    outcome = annotate_file(DEV / f"{report_id}.{ext}", tmp_path)
    assert outcome.error is None and outcome.annotation is not None
    return json.loads(outcome.annotation.read_text(encoding="utf-8"))


def test_annotation_is_the_parse_in_corpus_format_marked_unreviewed(tmp_path):
    annotation = _annotate(tmp_path, "seed004")
    report = parse_file(DEV / "seed004.txt")
    assert (tmp_path / "seed004.txt").read_bytes() == (DEV / "seed004.txt").read_bytes()
    assert annotation["input"] == "seed004.txt" and annotation["template"] == report.template
    assert annotation["tables"] == report.to_dict()["tables"]
    assert annotation[REVIEW_KEY]["status"] == "unreviewed" and not is_reviewed(annotation)
    # seed004 prints ———— placeholders: null values whose raw text is kept apart from blanks
    placeholders = annotation[REVIEW_KEY]["placeholders"]
    assert placeholders and all(set(raw) == {"—"} for raw in placeholders.values())
    for address in placeholders:
        table, row, col = address.split(".")
        assert annotation["tables"][table][row][col] is None
    assert annotation["balanced"] == dev_gold("seed004")["balanced"]


def test_doubtful_cells_include_every_cell_of_a_failing_identity():
    report = parse_file(DEV / "r009.txt")  # its 三 does not balance as printed
    doubtful = doubtful_cells(report)
    failing = [c for c in report.checks if c.status == "fail"]
    assert failing
    for check in failing:
        assert all(f"identity_fail:{check.id}" in doubtful[a] for a in check.cells)
    assert any("low_confidence" in reasons for reasons in doubtful.values())


def test_check_data_and_train_refuse_unreviewed_annotations_unless_asked(tmp_path):
    _annotate(tmp_path, "seed004")
    assert check_paths([tmp_path]) == [f"seed004.json: {UNREVIEWED_PROBLEM}"]
    assert check_paths([tmp_path], include_unreviewed=True) == []
    assert main(["check-data", str(tmp_path)]) == 1
    assert main(["check-data", "--include-unreviewed", str(tmp_path)]) == 0
    with pytest.raises(DataError, match="not reviewed"):
        load_annotated([tmp_path])
    assert len(load_annotated([tmp_path], include_unreviewed=True)) == 1
    assert main(["train", str(tmp_path), "--synthetic", "0", "-o", str(tmp_path / "m")]) == 1


def test_check_data_rejects_a_bad_review_block(tmp_path):
    annotation = _annotate(tmp_path, "seed004")
    annotation[REVIEW_KEY]["status"] = "done"
    (tmp_path / "seed004.json").write_text(json.dumps(annotation, ensure_ascii=False), encoding="utf-8")
    assert check_paths([tmp_path]) == ["seed004.json: review.status must be 'reviewed' or 'unreviewed'"]
    annotation[REVIEW_KEY].update(status="reviewed", doubtful={"applications.no_such_row.total": ["low_confidence"]})
    (tmp_path / "seed004.json").write_text(json.dumps(annotation, ensure_ascii=False), encoding="utf-8")
    assert check_paths([tmp_path]) == [
        "seed004.json: review.doubtful address applications.no_such_row.total is not an annotated cell"]


def test_annotate_cli_never_overwrites_a_reviewed_annotation_and_reports_bad_inputs(tmp_path, capsys):
    out = tmp_path / "out"
    annotation = _annotate(out, "seed004")
    annotation[REVIEW_KEY]["status"] = "reviewed"
    (out / "seed004.json").write_text(json.dumps(annotation, ensure_ascii=False), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["annotate", str(DEV / "seed004.txt"), str(empty), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "already reviewed" in err and "EmptyInputError" in err
    assert json.loads((out / "seed004.json").read_text(encoding="utf-8"))[REVIEW_KEY]["status"] == "reviewed"
    assert main(["annotate", str(DEV / "seed004.txt"), "--force", "-o", str(out)]) == 0


def test_pick_prefers_doubtful_reports_and_spreads_over_layouts():
    def cand(path, layout, doubtful, failed=0):
        return Candidate(path, layout, 100, doubtful, doubtful / 200, failed)

    pool = [cand("a", "glued", 30), cand("b", "glued", 29), cand("c", "pipe_rows", 10), cand("d", "html", 0)]
    picks = pick(pool, 2)
    assert [p.path for p in picks] == ["a", "c"]  # b is as doubtful as a, but its layout was just picked
    assert "30/100 cells doubtful" in picks[0].reason and "layout glued" in picks[0].reason
    # html never annotated: its rarity (1) outweighs a's doubt (0.3 + 0.15) once glued is common
    assert [p.path for p in pick(pool, 2, Counter({"glued": 5, "pipe_rows": 5}))] == ["d", "a"]
    assert rarity("html", Counter()) == 1.0 and rarity("html", Counter(html=1)) == 0.5


def test_pick_cli_explains_each_choice(tmp_path, capsys):
    for name in ("r009.txt", "r019.txt", "seed004.txt", "r025.html"):
        shutil.copy(DEV / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("no table here, just words", encoding="utf-8")
    assert main(["annotate", "--pick", "2", str(tmp_path), "--known", str(DEV / "seed004.json")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(tmp_path / "r009.txt"))  # failing identities, low confidence
    assert all("cells doubtful" in line and "layout" in line for line in lines)


def test_one_extra_reviewed_annotation_changes_the_model_deterministically(tmp_path):
    from gxparse.review.store import AnnotationStore

    _annotate(tmp_path, "r204")
    store = AnnotationStore(tmp_path)
    page = store.page("r204")
    texts = {t["key"]: {r["key"]: r["cells"] for r in t["rows"] if r["present"]} for t in page["tables"]}
    assert store.save("r204", texts)["saved"]
    base = load_annotated([DEV / "seed004.json", DEV / "r004.json"])
    extra = load_annotated([tmp_path])
    assert extra[0].gold[REVIEW_KEY]["status"] == "reviewed"
    m0 = train_model(base, seed=0)
    m1 = train_model(base + extra, seed=0)
    m2 = train_model(base + extra, seed=0)
    assert m1.meta["training_data"] == m2.meta["training_data"] != m0.meta["training_data"]
    assert m1.meta["stats"]["rows"] > m0.meta["stats"]["rows"]
    assert m1.weights == m2.weights != m0.weights
