"""Retraining: deterministic, through the inference path, and annotation checks."""

from __future__ import annotations

import json

from gxparse.check_data import check_paths
from gxparse.cli import main
from gxparse.realign import RealignModel
from tests.conftest import DEV


def test_train_is_deterministic_and_loadable(tmp_path):
    args = ["train", str(DEV / "seed004.json"), str(DEV / "r004.json"), "--synthetic", "12", "--seed", "3"]
    assert main([*args, "-o", str(tmp_path / "a")]) == 0
    assert main([*args, "-o", str(tmp_path / "b")]) == 0
    a = json.loads((tmp_path / "a" / "realign.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "realign.json").read_text(encoding="utf-8"))
    assert a["weights"] == b["weights"] and a["meta"]["priors"] == b["meta"]["priors"]
    assert a["meta"]["stats"]["reports"] == 14
    model = RealignModel.load(tmp_path / "a")
    assert model.meta["training_data"] == b["meta"]["training_data"]
    locator = (tmp_path / "a" / "locator.crfsuite").read_bytes()
    assert locator == (tmp_path / "b" / "locator.crfsuite").read_bytes()
    assert model.locator is not None and model.locator.model_bytes == locator


def test_check_data_accepts_the_dev_corpus_and_rejects_bad_annotations(tmp_path):
    assert check_paths([DEV]) == []
    gold = json.loads((DEV / "seed004.json").read_text(encoding="utf-8"))
    gold["tables"]["applications"]["new_received"]["natural_persons"] = 1
    gold["tables"]["applications"]["carried_over"]["total"] = "2"
    gold["balanced"]["review_litigation"] = False
    (tmp_path / "seed004.txt").write_bytes((DEV / "seed004.txt").read_bytes())
    (tmp_path / "seed004.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    problems = check_paths([tmp_path])
    assert any("unknown column applications.new_received.natural_persons" in p for p in problems)
    assert any("bad value applications.carried_over.total" in p for p in problems)
    assert any("balanced.review_litigation is False" in p for p in problems)
    assert main(["check-data", str(tmp_path)]) == 1
