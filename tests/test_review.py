"""The review server's API: report list, page data, live identities, save with check-data's rules."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytest.importorskip("bottle", reason="the review page needs the gxparse[review] extra")

from gxparse.annotate import REVIEW_KEY, annotate_file  # noqa: E402
from gxparse.check_data import check_file  # noqa: E402
from gxparse.review import ReviewServer  # noqa: E402
from gxparse.review.store import read_cell_text  # noqa: E402
from tests.conftest import DEV  # noqa: E402


@pytest.fixture()
def server(tmp_path):
    for report_id in ("r009", "seed004", "r019"):
        assert annotate_file(DEV / f"{report_id}.txt", tmp_path).error is None
    srv = ReviewServer(tmp_path).start()
    yield srv
    srv.shutdown()


def _call(server, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url.rstrip("/") + path, data=data, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _typed_cells(page):
    """The cells as the page shows them, for the rows present: {table: {row: {col: text}}}."""
    return {t["key"]: {r["key"]: dict(r["cells"]) for r in t["rows"] if r["present"]} for t in page["tables"] if t["present"]}


def test_server_listens_on_loopback_on_a_free_port_and_lists_reports(server):
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    status, data = _call(server, "/api/reports")
    assert status == 200
    assert {(r["id"], r["status"]) for r in data["reports"]} == {
        ("r009", "unreviewed"), ("seed004", "unreviewed"), ("r019", "unreviewed")}
    assert _call(server, "/api/reports", headers={"Host": "attacker.example:80"})[0] == 403
    assert _call(server, "/api/reports/..%2Fsecret")[0] == 404


def test_page_shows_tables_as_printed_with_source_spans_and_doubtful_cells(server):
    status, page = _call(server, "/api/reports/r009")
    assert status == 200 and page["template"] == "gov2019"
    apps = next(t for t in page["tables"] if t["key"] == "applications")
    assert apps["heading"].startswith("三、") and apps["rows"][0]["label"]
    assert any("自然人" == c["label"] for c in apps["cols"])
    assert page["doubtful"] and set(page["doubtful"]) <= set(page["spans"]) | {
        a for a in page["doubtful"] if a not in page["spans"]}
    address, (start, end) = next(iter(page["spans"].items()))
    table, row, col = address.split(".")
    shown = next(r for t in page["tables"] if t["key"] == table for r in t["rows"] if r["key"] == row)["cells"][col]
    assert page["text"][start:end].replace(",", "").endswith(shown.lstrip("-")) or shown == ""
    assert any(c["status"] == "fail" for c in page["checks"])  # r009's 三 does not balance as printed


def test_identities_are_recomputed_on_the_typed_cells(server):
    _, page = _call(server, "/api/reports/seed004")
    cells = _typed_cells(page)
    before = {(c["id"], c["scope"]): c["status"] for c in page["checks"]}
    cells["applications"]["new_received"]["total"] = str(int(cells["applications"]["new_received"]["total"]) + 1)
    status, data = _call(server, "/api/reports/seed004/checks", {"tables": cells})
    after = {(c["id"], c["scope"]): c["status"] for c in data["checks"]}
    assert status == 200 and data["cell_errors"] == {}
    assert [k for k in before if before[k] != after[k]] and all(after[k] == "fail" for k in after if before[k] != after[k])
    cells["applications"]["new_received"]["total"] = "twelve"
    _, data = _call(server, "/api/reports/seed004/checks", {"tables": cells})
    assert list(data["cell_errors"]) == ["applications.new_received.total"]


def test_save_keeps_blank_placeholder_and_zero_apart_and_marks_reviewed(server, tmp_path):
    _, page = _call(server, "/api/reports/seed004")
    cells = _typed_cells(page)
    cells["active_disclosure"]["regulations"].update(issued="", repealed="—", in_force="0")
    status, result = _call(server, "/api/reports/seed004", {"tables": cells, "notes": "checked",
                                                             "uncertain": ["applications.new_received.total"]})
    assert status == 200 and result["saved"], result
    saved = json.loads((tmp_path / "seed004.json").read_text(encoding="utf-8"))
    assert saved["tables"]["active_disclosure"]["regulations"] == {"issued": None, "repealed": None, "in_force": 0}
    assert saved[REVIEW_KEY]["status"] == "reviewed" and saved["notes"] == "checked"
    assert saved["uncertain"] == ["applications.new_received.total"]
    assert saved[REVIEW_KEY]["placeholders"]["active_disclosure.regulations.repealed"] == "—"
    assert "active_disclosure.regulations.issued" not in saved[REVIEW_KEY]["placeholders"]
    assert check_file(tmp_path / "seed004.json") == []
    _, again = _call(server, "/api/reports/seed004")
    regs = next(r for t in again["tables"] for r in t["rows"] if r["key"] == "regulations")
    assert regs["cells"] == {"issued": "", "repealed": "—", "in_force": "0"}
    assert dict((r["id"], r["status"]) for r in _call(server, "/api/reports")[1]["reports"])["seed004"] == "reviewed"


@pytest.mark.parametrize("report_id", ["seed004", "r019", "r009"])
def test_saving_unchanged_cells_keeps_the_annotation_values(server, tmp_path, report_id):
    """Columns a report does not print (legacy 本年累计, say) stay absent: nothing is added as blank."""
    before = json.loads((tmp_path / f"{report_id}.json").read_text(encoding="utf-8"))
    _, page = _call(server, f"/api/reports/{report_id}")
    status, result = _call(server, f"/api/reports/{report_id}", {"tables": _typed_cells(page)})
    assert status == 200 and result["saved"], result
    after = json.loads((tmp_path / f"{report_id}.json").read_text(encoding="utf-8"))
    assert after["tables"] == before["tables"] and after.get("labels") == before.get("labels")
    assert after["balanced"] == before["balanced"]
    assert after[REVIEW_KEY]["placeholders"] == before[REVIEW_KEY]["placeholders"]


def test_save_refuses_what_check_data_refuses_and_writes_nothing(server, tmp_path):
    before = (tmp_path / "seed004.json").read_bytes()
    _, page = _call(server, "/api/reports/seed004")
    cells = _typed_cells(page)
    cells["applications"]["new_received"]["total"] = "lots"
    status, result = _call(server, "/api/reports/seed004", {"tables": cells})
    assert status == 422 and not result["saved"] and "applications.new_received.total" in result["cell_errors"]
    cells = _typed_cells(page)
    cells["applications"]["no_such_row"] = {"total": "1"}
    status, result = _call(server, "/api/reports/seed004", {"tables": cells})
    assert status == 422 and any("unknown row applications.no_such_row" in p for p in result["problems"])
    assert (tmp_path / "seed004.json").read_bytes() == before


def test_read_cell_text_tells_blank_placeholder_zero_and_numbers_apart():
    assert read_cell_text("", "total") == (None, None)
    assert read_cell_text(" —— ", "total") == (None, "——")
    assert read_cell_text("无", "total") == (None, "无")
    assert read_cell_text("0", "total") == (0, None)
    assert read_cell_text("1,234", "total") == (1234, None)
    assert read_cell_text("-3", "change_this_year") == (-3, None)
    assert read_cell_text("52.29", "fee_amount") == (52.29, None)
    assert read_cell_text("件", "unit") == ("件", None)
    with pytest.raises(ValueError):
        read_cell_text("12a", "total")


def test_review_command_refuses_a_missing_directory(tmp_path, capsys):
    from gxparse.cli import main

    assert main(["review", str(tmp_path / "missing"), "--no-browser"]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_review_command_prints_its_loopback_url_and_serves(tmp_path):
    import os
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT

    assert annotate_file(DEV / "seed004.txt", tmp_path).error is None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "gxparse", "review", str(tmp_path), "--no-browser"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0) + "api/reports", timeout=30) as response:
            assert [r["id"] for r in json.loads(response.read())["reports"]] == ["seed004"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
