"""The public API: parse/parse_file, Report outputs, bad inputs, placers, the model artifact."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sklearn.base import clone

import gxparse
from gxparse.errors import BinaryInputError, EmptyInputError, ModelIncompatibleError, ModelNotFoundError, NotFittedError
from gxparse.estimator import RealignClassifier
from gxparse.realign import RealignModel, load_model
from tests.conftest import DEV

SEED004 = DEV / "seed004.txt"


def test_parse_returns_report_with_contract_keys():
    report = gxparse.parse_file(SEED004)
    d = report.to_dict()
    assert d["template"] == "gov2021"
    assert set(d["tables"]) == {"active_disclosure", "applications", "review_litigation"}
    assert d["tables"]["active_disclosure"]["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    cell = report.tables["applications"].cell("new_received", "natural_person")
    assert cell.value == 15 and report.text[slice(*cell.span)] == "15"
    assert d["cells"]["active_disclosure.regulations.issued"]["raw"] == "————"
    assert "placeholder" in d["cells"]["active_disclosure.regulations.issued"]["flags"]
    assert all(c["status"] == "pass" for c in d["checks"])
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_every_number_points_back_to_its_source_token():
    for path in (SEED004, DEV / "r004.txt", DEV / "r002.pdftext.txt", DEV / "r025.html"):
        report = gxparse.parse_file(path)
        for table in report.tables.values():
            for _, _, cell in table.cells():
                if isinstance(cell.value, (int, float)):
                    assert cell.span is not None
                    assert report.text[slice(*cell.span)] == cell.raw
                    assert gxparse.parse(cell.raw).template is None  # a bare number is not a report
                    assert float(cell.raw.replace("元", "").replace("万", "").replace("减", "-")) == pytest.approx(cell.value)


def test_records_and_frame_are_long_format():
    report = gxparse.parse_file(SEED004)
    records = report.to_records()
    assert len(records) == sum(1 for t in report.tables.values() for _ in t.cells()) + len(report.facts)
    assert [(r["row"], r["value"]) for r in records if r["table"] == "facts"] == [(f.key, f.value) for f in report.facts]
    assert {"table", "row", "col", "value", "raw", "confidence", "flags"} <= set(records[0])
    frame = report.to_frame()
    assert len(frame) == len(records)


def test_unbalanced_source_comes_out_as_printed_and_flagged():
    report = gxparse.parse_file(DEV / "r201.txt")
    assert report.tables["applications"].cell("results_total", "commercial_enterprise").value == 1
    failed = [c for c in report.checks if c.status == "fail"]
    assert failed and not report.ok
    flags = report.tables["applications"].cell("results_total", "commercial_enterprise").flags
    assert any(f.startswith("identity_fail:") for f in flags)


def test_report_without_tables_has_no_template_and_a_warning():
    report = gxparse.parse_file(DEV / "seed003.txt")
    assert report.template is None and report.tables == {} and report.warnings


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "", "  \n"])
def test_empty_input_raises_typed_error(data):
    with pytest.raises(EmptyInputError):
        gxparse.parse(data)


def test_binary_input_raises_typed_error():
    with pytest.raises(BinaryInputError):
        gxparse.parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_gbk_bytes_parse_like_utf8():
    text = SEED004.read_text(encoding="utf-8")
    assert gxparse.parse(text.encode("gb18030")).to_dict(provenance=False) == gxparse.parse(text).to_dict(provenance=False)


def test_noise_html_without_table_and_non_reports_give_no_tables():
    rng = random.Random(0)
    noise = "".join(rng.choice("的一是了0123456789 ，。\n|") for _ in range(5_000_000))
    for data in (noise, "<html><body><p>通知</p><div>2023年1月1日</div></body></html>", "关于印发2024年工作要点的通知。一、总体要求。"):
        report = gxparse.parse(data)
        assert report.template is None and not report.tables


def test_parse_rejects_non_text_types():
    with pytest.raises(TypeError):
        gxparse.parse(123)  # type: ignore[arg-type]


@pytest.mark.parametrize("placer", ["rules", "baseline"])
def test_other_placers_are_selectable(placer):
    report = gxparse.parse_file(SEED004, placer=placer)
    assert report.meta["placer"] == placer
    assert report.tables["applications"].cell("new_received", "total").value == 15


def test_unknown_placer_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown placer"):
        gxparse.parse_file(SEED004, placer="magic")


def test_classifier_follows_sklearn_contract():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    clf = RealignClassifier(C=0.5)
    with pytest.raises(NotFittedError):
        clf.predict_proba(X)
    assert clf.fit(X, y) is clf
    proba = clf.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert clone(clf).get_params() == clf.get_params()
    again = RealignClassifier.from_dict(json.loads(json.dumps(clf.to_dict())))
    assert np.allclose(again.predict_proba(X), proba)


def test_model_artifact_round_trip_and_errors(tmp_path, monkeypatch):
    model = load_model()
    path = model.save(tmp_path / "m")
    assert RealignModel.load(path).meta == model.meta
    with pytest.raises(ModelNotFoundError, match="gxparse train"):
        RealignModel.load(tmp_path / "missing.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["feature_set"] = "other"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelIncompatibleError, match="feature set"):
        RealignModel.load(bad)
    monkeypatch.setenv("GXPARSE_MODEL", str(path))
    assert load_model().meta == model.meta


def test_packaged_model_is_small_and_carries_metadata():
    from importlib import resources

    resource = resources.files("gxparse") / "_model" / "realign.json"
    assert len(resource.read_bytes()) < 10_000_000
    meta = load_model().meta
    assert {"feature_set", "training_data", "metrics", "priors", "gxparse_version"} <= set(meta)
