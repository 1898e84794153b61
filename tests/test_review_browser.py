"""The review page driven in a real headless Chromium (Debian's chromium + chromium-driver).

Open a report from the list, jump with F2 to a doubtful cell that an identity uses, type a value
that flips that identity's status, see the status change on the page, mark the cell uncertain
(F4), save with Ctrl+S, and find the annotation file changed, marked reviewed and valid for
check-data. Selenium is given the
system chromedriver, so selenium-manager never downloads anything.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("no system Chromium (apt-get install chromium chromium-driver; .ci/run installs it)",
                allow_module_level=True)
pytest.importorskip("bottle", reason="the review page needs the gxparse[review] extra")
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium (the dev extra)")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from gxparse.annotate import REVIEW_KEY, annotate_file  # noqa: E402
from gxparse.check_data import check_file  # noqa: E402
from gxparse.review import ReviewServer  # noqa: E402
from tests.conftest import DEV  # noqa: E402

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1600,1000")
WAIT_S = 60  # opening a report parses it; CI machines are shared and slow
REPORT = "r009"  # gov2019, low-confidence glued cells and a 三 that does not balance as printed


@pytest.fixture()
def browser(tmp_path, monkeypatch):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    monkeypatch.setenv("SE_OFFLINE", "true")  # belt and braces: selenium-manager must never go online
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture()
def server(tmp_path):
    annotations = tmp_path / "annotations"
    assert annotate_file(DEV / f"{REPORT}.txt", annotations).error is None
    srv = ReviewServer(annotations).start()
    yield srv
    srv.shutdown()


def _page_data(server):
    with urllib.request.urlopen(f"{server.url}api/reports/{REPORT}", timeout=WAIT_S) as response:
        return json.loads(response.read())


def _checks_by_key(driver):
    """``{id@scope: (status, cells)}`` as the page shows them, read in one go (the list is re-rendered live)."""
    rows = driver.execute_script(
        "return [...document.querySelectorAll('#checks .check')].map(e => [e.dataset.check, e.dataset.status, e.dataset.cells])")
    return {key: (status, cells.split()) for key, status, cells in rows}


def _flipping_value(server, address, current):
    """A value for ``address`` that flips the first assessable identity using it (found with the API)."""
    table, row, col = address.split(".")
    page = _page_data(server)
    cells = {t["key"]: {r["key"]: dict(r["cells"]) for r in t["rows"] if r["present"]} for t in page["tables"] if t["present"]}
    old = float(current or 0)
    for check in page["checks"]:
        if address in check["cells"] and check["status"] in ("pass", "fail"):
            gap = (check["left"] or 0) - (check["right"] or 0)
            for candidate in ([old + 1] if check["status"] == "pass" else [old - gap, old + gap]):
                cells[table][row][col] = str(int(candidate))
                request = urllib.request.Request(f"{server.url}api/reports/{REPORT}/checks",
                                                 data=json.dumps({"tables": cells}).encode(),
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=WAIT_S) as response:
                    after = {f"{c['id']}@{c['scope']}": c["status"] for c in json.loads(response.read())["checks"]}
                key = f"{check['id']}@{check['scope']}"
                if after[key] != check["status"] and candidate >= 0:
                    return key, str(int(candidate))
    return None


def test_review_page_in_chromium(browser, server):
    driver = browser
    wait = WebDriverWait(driver, WAIT_S)
    driver.get(server.url)
    link = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#report-list a[data-id='{REPORT}']"))
    assert "unreviewed" in link.text
    link.click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input.cell.doubtful") and d.find_elements(By.CSS_SELECTOR, "#checks .check"))
    assert "三、" in driver.find_element(By.ID, "tables").text  # tables as printed, Chinese headings

    # the first doubtful cell, in page order, used by an identity that can pass or fail and that a new value flips
    inputs = driver.find_elements(By.CSS_SELECTOR, "input.cell.doubtful")
    doubtful = [e.get_attribute("data-address") for e in inputs]
    values = {e.get_attribute("data-address"): e.get_attribute("value") for e in inputs}
    checks = _checks_by_key(driver)
    target = next(a for a in doubtful
                  if any(a in cells and status in ("pass", "fail") for status, cells in checks.values())
                  and _flipping_value(server, a, values[a]) is not None)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.F2)
    for _ in range(doubtful.index(target)):
        driver.switch_to.active_element.send_keys(Keys.F2)
    active = driver.switch_to.active_element
    assert active.get_attribute("data-address") == target and "doubtful" in active.get_attribute("class")
    mark = driver.find_element(By.ID, "source-mark")  # the cell's source span is highlighted
    assert mark.text.strip() and mark.text.strip().lstrip("-")[-1].isdigit()

    flip = _flipping_value(server, target, active.get_attribute("value"))
    assert flip is not None, f"no value of {target} flips an identity"
    check_key, new_value = flip
    before = checks[check_key][0]
    active.send_keys(Keys.CONTROL, "a")
    active.send_keys(new_value)
    wait.until(lambda d: _checks_by_key(d)[check_key][0] != before)
    assert "identities:" in driver.find_element(By.ID, "identity-summary").text

    active.send_keys(Keys.F4)  # and the reviewer marks it uncertain
    assert "uncertain" in active.get_attribute("class")
    active.send_keys(Keys.CONTROL, "s")
    wait.until(lambda d: "saved" in d.find_element(By.ID, "save-status").text)
    wait.until(lambda d: "reviewed" in d.find_element(By.CSS_SELECTOR, f"#report-list a[data-id='{REPORT}']").text
               and "unreviewed" not in d.find_element(By.CSS_SELECTOR, f"#report-list a[data-id='{REPORT}']").text)

    path = _annotation_dir(server) / f"{REPORT}.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    table, row, col = target.split(".")
    assert saved["tables"][table][row][col] == int(new_value)
    assert saved[REVIEW_KEY]["status"] == "reviewed" and saved["uncertain"] == [target]
    assert check_file(path) == []


def _annotation_dir(server) -> Path:
    with urllib.request.urlopen(f"{server.url}api/reports", timeout=WAIT_S) as response:
        return Path(json.loads(response.read())["directory"])
