"""The dashboard in a real browser (Debian's headless Chromium through chromedriver): the page
loads, signs in through its form, and shows every chart the administrator's rights allow, each
an accessible SVG with its figures as text, with no error in the browser console.

Run by .ci/dashboard against a server at ERP_URL with demo data (administrator `admin`,
password ERP_PASSWORD). Writes a screenshot to DASHBOARD_SCREENSHOT when that is set."""

import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url = os.environ["ERP_URL"]
password = os.environ["ERP_PASSWORD"]


def api(method, path, token=None, body=None):
    req = urllib.request.Request(url + "/api/v1" + path, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(req, data) as r:
        return json.loads(r.read() or b"null")


# Something to show beyond the demo's stock: a target and a work center.
token = api("POST", "/auth/login", body={"username": "admin", "password": password})["access_token"]
me = api("GET", "/auth/me", token)
api("PUT", "/crm/targets", token, {"user_id": me["user_id"], "metric": "deals_closed",
                                   "period_start": "2000-01-01", "period_end": "2099-12-31", "target": "10"})
api("POST", "/mrp/work-centers", token, {"code": "ASSY", "name": "Assembly", "hours_per_day": "8", "cost_per_hour": "30"})

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1700,2400"]:
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    browser.get(url + "/dashboard/")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda b: b.find_element(By.ID, "login").is_displayed())
    browser.find_element(By.ID, "username").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()

    expected = {"targets", "team-targets", "pipeline", "revenue", "stock-value", "production", "load-ASSY", "aging"}

    def settled(b):
        """The charts shown once every one has its SVG or its failure (read in one script,
        so a redraw cannot pull elements away mid-check)."""
        return b.execute_script(
            """const figs = [...document.querySelectorAll('#charts figure')];
               if (figs.length < arguments[0] || figs.some(f => f.dataset.old)) return null;
               if (!figs.every(f => f.querySelector('svg') || f.classList.contains('failed'))) return null;
               return figs.map(f => ({
                 id: f.dataset.chart,
                 failed: f.classList.contains('failed') ? f.textContent : null,
                 role: f.querySelector('svg')?.getAttribute('role'),
                 title: f.querySelector('svg title')?.textContent,
                 desc: f.querySelector('svg desc')?.textContent,
                 notes: [...f.querySelectorAll('svg text')].map(t => t.textContent),
               }));""",
            len(expected),
        )

    figures = wait.until(settled)
    assert not browser.find_element(By.ID, "login").is_displayed(), "the sign-in form is gone"
    shown = {f["id"] for f in figures}
    assert expected <= shown, f"charts missing: {expected - shown}"
    failed = [(f["id"], f["failed"]) for f in figures if f["failed"]]
    assert not failed, f"charts failed: {failed}"
    for f in figures:
        assert f["role"] == "img" and f["title"] and f["desc"], f
    # The figures are text a reader can find: the target's "0 of 10, 10 to go".
    targets = next(f for f in figures if f["id"] == "targets")
    assert "0 of 10, 10 to go" in targets["notes"], targets["notes"]
    stock = next(f for f in figures if f["id"] == "stock-value")
    assert any(n.startswith("Warehouse ") for n in stock["notes"]), stock["notes"]
    # Another period redraws the charts.
    browser.execute_script("document.querySelectorAll('#charts figure').forEach(f => f.dataset.old = '1')")
    browser.find_element(By.ID, "from").send_keys("01012020")
    browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    figures = wait.until(settled)
    assert not [f for f in figures if f["failed"]], figures
    if os.environ.get("DASHBOARD_SCREENSHOT"):
        browser.save_screenshot(os.environ["DASHBOARD_SCREENSHOT"])
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors}"
    print(f"dashboard: {len(figures)} charts shown, no console errors")
finally:
    browser.quit()
sys.exit(0)
