#!/usr/bin/env python3
"""Browser test of the GovShare portal: sign-in, language switch and sign-out in headless Chromium.

    /usr/bin/python3 Tests/browser/portal_test.py --base-url http://127.0.0.1:18080

Uses Debian's python3-selenium, chromium and chromium-driver (run it with /usr/bin/python3, which sees them).
Saves a screenshot per step to ${ARTIFACT_DIR:-/tmp}/portal-*.png. Prints "N passed, 0 failed" last on success;
exits 1 with a message naming the failed check otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CJK = re.compile(r"[\u4e00-\u9fff]")
WAIT_SECONDS = 20


class CheckFailed(Exception):
    pass


class PortalTest:
    def __init__(self, driver: webdriver.Chrome, base_url: str, artifact_dir: str, args: argparse.Namespace):
        self.d = driver
        self.base = base_url.rstrip("/")
        self.artifact_dir = artifact_dir
        self.args = args
        self.passed = 0
        self.step_no = 0
        self.step_name = "start"

    # -- helpers -----------------------------------------------------------------------------------------------

    def step(self, name: str) -> None:
        self.step_no += 1
        self.step_name = name
        print(f"[{self.step_no}] {name}", flush=True)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            raise CheckFailed(f"expected: {message}")
        self.passed += 1
        print(f"    ok  {message}", flush=True)

    def screenshot(self, label: str) -> str:
        path = os.path.join(self.artifact_dir, f"portal-{self.step_no:02d}-{label}.png")
        self.d.save_screenshot(path)
        print(f"    screenshot {path}", flush=True)
        return path

    def wait(self, condition, what: str, timeout: float = WAIT_SECONDS):
        try:
            # Mid-navigation, any driver call may fail transiently; the condition is simply asked again.
            return WebDriverWait(self.d, timeout, ignored_exceptions=(WebDriverException,)).until(condition)
        except TimeoutException:
            raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what} (at {self.d.current_url})")

    def find(self, css: str):
        found = self.d.find_elements(By.CSS_SELECTOR, css)
        return found[0] if found else None

    def require(self, css: str, what: str):
        el = self.find(css)
        self.check(el is not None, f"{what} is present ({css})")
        return el

    def path(self) -> str:
        return urlparse(self.d.current_url).path or "/"

    def html_lang(self) -> str:
        return self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""

    def click_and_wait_for_new_page(self, element, what: str) -> None:
        """Clicks an element that navigates, and waits until the new document has loaded."""
        # A marker on the old window rather than EC.staleness_of: while a navigation is in flight Chromium may answer
        # a query about an old node with "Node with given id does not belong to the document" instead of a
        # stale-element error, which staleness_of does not catch. A new document has a new window object.
        self.d.execute_script("window.__govshareOldPage = true")
        element.click()
        self.wait(lambda d: d.execute_script("return window.__govshareOldPage !== true && document.readyState") == "complete",
                  f"a new, loaded page after {what}")

    def open(self, path: str) -> None:
        self.d.get(self.base + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"GET {path}")

    def check_language_links(self) -> None:
        en = self.require("a#lang-en", "language link English")
        zh = self.require("a#lang-zh", "language link 中文")
        en_href = urlparse(en.get_attribute("href") or "")
        zh_href = urlparse(zh.get_attribute("href") or "")
        self.check(en_href.path == "/lang/en" and "next=" in en_href.query,
                   f"#lang-en points to /lang/en?next=… (is {en.get_attribute('href')})")
        self.check(zh_href.path.startswith("/lang/zh"),
                   f"#lang-zh points to /lang/zh… (is {zh.get_attribute('href')})")

    def fill_login(self, username: str, password: str) -> None:
        user = self.d.find_element(By.ID, "username")
        pw = self.d.find_element(By.ID, "password")
        user.clear()
        user.send_keys(username)
        pw.clear()
        pw.send_keys(password)
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "login-submit"), "sign-in")

    # -- the scenario --------------------------------------------------------------------------------------------

    def run(self) -> None:
        a = self.args

        self.step("sign-in page")
        self.open("/login")
        self.check(self.path() == "/login", f"GET /login stays on /login (at {self.d.current_url})")
        form = self.require("form#login-form", "sign-in form")
        self.check((form.get_attribute("method") or "").lower() == "post", "sign-in form uses method=post")
        self.check(urlparse(form.get_attribute("action") or "").path == "/login", "sign-in form posts to /login")
        self.require("form#login-form input#username[name='username']", "username input")
        self.require("form#login-form input#password[name='password'][type='password']", "password input")
        csrf = self.require("form#login-form input[name='_csrf'][type='hidden']", "hidden _csrf input")
        self.check(bool((csrf.get_attribute("value") or "").strip()), "_csrf has a value")
        self.require("#login-submit", "sign-in button")
        self.check(self.find("#current-user") is None, "no #current-user before signing in")
        self.check_language_links()
        self.screenshot("login")

        self.step("wrong password is refused")
        self.fill_login(a.username, a.password + "-wrong")
        self.screenshot("wrong-password")
        self.check(self.path() == "/login", f"still on /login after a wrong password (at {self.d.current_url})")
        err = self.require("#login-error", "sign-in error message")
        self.check(bool(CJK.search(err.text or "")), f"#login-error is in Chinese (is {err.text!r})")
        self.check(self.find("#current-user") is None, "no #current-user after a wrong password")
        self.require("form#login-form", "sign-in form shown again")

        self.step("right password signs in, home page in Chinese")
        self.fill_login(a.username, a.password)
        self.screenshot("home-zh")
        self.check(self.path() == "/", f"lands on / after signing in (at {self.d.current_url})")
        self.check(self.html_lang() == "zh-CN", f"<html lang> is zh-CN (is {self.html_lang()!r})")
        who = self.require("#current-user", "current user")
        if a.display_name:
            self.check(a.display_name in (who.text or ""),
                       f"#current-user shows {a.display_name!r} (is {who.text!r})")
        else:
            self.check(bool((who.text or "").strip()), f"#current-user is not empty (is {who.text!r})")
        nav = self.require("nav#main-nav", "main navigation")
        self.check("首页" in (nav.text or ""), f"navigation is in Chinese, has 首页 (is {nav.text!r})")
        self.check(self.find("#login-error") is None, "no #login-error once signed in")
        self.check_language_links()

        self.step("switch to English")
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "lang-en"), "clicking English")
        self.screenshot("home-en")
        self.check(self.path() == "/", f"back on the same path / (at {self.d.current_url})")
        self.check(self.html_lang() == "en", f"<html lang> is en (is {self.html_lang()!r})")
        nav = self.require("nav#main-nav", "main navigation")
        self.check("Home" in (nav.text or ""), f"navigation is in English, has Home (is {nav.text!r})")
        self.require("#current-user", "still signed in (#current-user)")

        self.step("switch back to Chinese")
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "lang-zh"), "clicking 中文")
        self.screenshot("home-zh-again")
        self.check(self.path() == "/", f"back on the same path / (at {self.d.current_url})")
        self.check(self.html_lang() == "zh-CN", f"<html lang> is zh-CN (is {self.html_lang()!r})")
        nav = self.require("nav#main-nav", "main navigation")
        self.check("首页" in (nav.text or ""), f"navigation is in Chinese, has 首页 (is {nav.text!r})")
        self.require("#current-user", "still signed in (#current-user)")

        self.step("sign out")
        button = self.require("#logout-submit", "sign-out button")
        logout_form = self.d.execute_script("return arguments[0].form", button)
        self.check(logout_form is not None and urlparse(logout_form.get_attribute("action") or "").path == "/logout"
                   and (logout_form.get_attribute("method") or "").lower() == "post",
                   "sign-out button is in a form that posts to /logout")
        self.click_and_wait_for_new_page(button, "sign-out")
        self.screenshot("signed-out")
        self.check(self.path() == "/login", f"lands on /login after signing out (at {self.d.current_url})")
        self.require("form#login-form", "sign-in form")
        self.check(self.find("#current-user") is None, "no #current-user after signing out")

        self.step("signed out for real")
        self.open("/")
        self.screenshot("home-after-sign-out")
        self.check(self.find("#current-user") is None,
                   f"GET / after signing out shows no #current-user (at {self.d.current_url})")

        self.step("catalog editor shows rule errors next to the fields")
        self.open("/login")
        self.fill_login("psb_cataloger", a.password)
        self.open("/catalog/new")
        self.require("form#catalog-editor", "catalog editor form")
        values = {
            "f-classification_code": "301009", "f-name": "浏览器测试目录", "f-summary": "浏览器测试用目录。",
            "f-responsible_party": "测试处", "f-update_deadline": "变更后1个工作日内", "f-usage_requirements": "仅限法定职责",
            "f-items": "姓名|XM|C|50|unconditional|2\n证件号码|ZJHM|C|20|conditional|4",
        }
        for element_id, value in values.items():
            field = self.d.find_element(By.ID, element_id)
            field.clear()
            field.send_keys(value)
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "editor-submit"), "submit for review")
        self.screenshot("editor-errors")
        self.require("#editor-errors", "the list of rule errors")
        items_error = self.require("#error-items", "the error shown under the data items")
        self.check("证件号码" in (items_error.text or ""), f"the item error names the item (is {items_error.text!r})")
        self.check("第十八条" in (items_error.text or ""), f"the item error cites Art. 18 (is {items_error.text!r})")
        self.require("#error-share_conditions", "the error shown under share conditions")

        self.step("apply for conditional data, the provider refuses one item with a basis, the authority approves")
        self.sign_in_as("hrss_user")
        self.open("/data")
        link = self.require("a[href^='/data/301001-']", "the 居民户籍信息 dataset in the list")
        self.open(urlparse(link.get_attribute("href")).path)
        self.click_and_wait_for_new_page(self.require("#apply-link", "the link to apply"), "open the application form")
        for item in ("GMSFHM", "HJDZ"):
            self.d.find_element(By.CSS_SELECTOR, f"input[name='item_{item}']").click()
        # Art. 17, 19: the ID number is needed in clear, with the reason; the address may stay masked.
        self.d.find_element(By.CSS_SELECTOR, "input[name='clear_GMSFHM']").click()
        self.d.find_element(By.NAME, "clear_reason_GMSFHM").send_keys("待遇核定须以完整公民身份号码比对参保档案")
        for name, value in {"purpose": "待遇核定核验户籍", "business": "养老保险待遇核定", "basis": "《社会保险法》第五十八条",
                            "contact": "李工 020-12345678", "data_manager": "王科长"}.items():
            self.d.find_element(By.NAME, name).send_keys(value)
        self.d.execute_script("arguments[0].value = '2027-06-30'", self.d.find_element(By.NAME, "valid_until"))
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "apply-submit"), "apply")
        self.screenshot("application")
        due = self.require("#application-due", "the reply due date")
        self.check(re.match(r"^\d{4}-\d{2}-\d{2}$", due.text or "") is not None, f"a due date is shown (is {due.text!r})")
        application = self.path()
        needs = self.require("#clear-needs", "the items asked for in clear")
        self.check("完整公民身份号码" in (needs.text or ""), f"the clear need and its reason are on record (is {needs.text!r})")

        self.sign_in_as("psb_reviewer")
        self.open(application)
        self.d.find_element(By.CSS_SELECTOR, "input[name='clear_GMSFHM']").click()
        self.d.find_element(By.CSS_SELECTOR, "input[name='decision_HJDZ'][value='refuse']").click()
        self.click_and_wait_for_new_page(self.require("#review-submit", "the decision form"), "refuse without a basis")
        errors = self.require("#review-errors", "the refusal is refused without reasons and basis")
        self.check("第十六条" in (errors.text or ""), f"the error cites Art. 16 (is {errors.text!r})")
        self.d.find_element(By.CSS_SELECTOR, "input[name='decision_HJDZ'][value='refuse']").click()
        for name, value in {"reason_HJDZ": "核定待遇无需户籍地址", "instrument_HJDZ": "《中华人民共和国个人信息保护法》",
                            "article_HJDZ": "第六条"}.items():
            self.d.find_element(By.NAME, name).send_keys(value)
        self.click_and_wait_for_new_page(self.d.find_element(By.ID, "review-submit"), "refuse with a basis")

        self.sign_in_as("gd_reviewer")
        self.open(application)
        self.d.find_element(By.CSS_SELECTOR, "input[name='clear_GMSFHM']").click()
        self.click_and_wait_for_new_page(self.require("#review-submit", "the authority's decision form"), "approve")
        self.screenshot("granted")
        status = self.require("#application-status", "the application status")
        self.check("已批准" in (status.text or ""), f"the application is approved (is {status.text!r})")
        decisions = self.require("#decisions", "the decisions")
        self.check("批准明文" in (decisions.text or ""), f"both decisions approve the ID number in clear (is {decisions.text!r})")
        grant_id = (self.require("#grant-id", "the grant created by the approval").text or "").strip()

        self.step("a provider that never answered: past its point the authority decides alone (Art. 19)")
        self.open("/applications")
        silent = self.require("#review-queue tr.provider-silent a", "the demo's unanswered application, marked provider silent")
        self.click_and_wait_for_new_page(silent, "open the unanswered application")
        self.require("#provider-silent", "the provider-silent mark")
        self.require("#decide-alone-hint", "the note that the authority may decide alone")
        self.click_and_wait_for_new_page(self.require("#review-submit", "the authority's decision form"), "decide alone")
        self.screenshot("decided-alone")
        status = self.require("#application-status", "the application status")
        self.check("已批准" in (status.text or ""), f"the authority's decision answers the application (is {status.text!r})")
        decisions = self.require("#decisions", "the decisions")
        self.check("主管部门单独决定" in (decisions.text or ""), f"the record says the authority decided alone (is {decisions.text!r})")
        self.open("/applications")

        self.step("the holder sees the grant with its data manager on 授权与使用; the provider reports misuse")
        self.sign_in_as("hrss_user")
        self.open("/grants")
        row = self.require(f"#held-{grant_id}", "the new grant among the department's grants")
        self.check("王科长" in (row.text or ""), f"the grant names the data manager (is {row.text!r})")
        self.sign_in_as("psb_reviewer")
        self.open("/grants")
        provided = self.require(f"#provided-{grant_id}", "the grant among those on the provider's data")
        provided.find_element(By.NAME, "description").send_keys("将户籍信息用于核定以外的用途")
        self.click_and_wait_for_new_page(provided.find_element(By.CSS_SELECTOR, "button[type='submit']"), "report misuse")
        cases = self.require("#misuse-cases", "the misuse cases")
        self.check("将户籍信息用于核定以外的用途" in (cases.text or ""), f"the case is listed (is {cases.text!r})")
        self.screenshot("grants")

        self.step("each home page is a workplace: the reviewer's applications due, the data user's grants")
        self.sign_in_as("gd_reviewer")
        self.open("/")
        due = self.require("#work-applications", "the reviewer's applications due on the home page")
        self.check("剩余工作日" in (due.text or "") or "已逾期" in (due.text or ""),
                   f"each application shows its working days left or that it is overdue (is {due.text!r})")
        self.screenshot("home-reviewer")
        self.sign_in_as("hrss_user")
        self.open("/")
        grants = self.require("#work-grants", "the data user's grants on the home page")
        self.check("居民户籍信息" in (grants.text or ""), f"the new grant is listed by resource name (is {grants.text!r})")
        self.check("使用期限至" in (grants.text or ""), f"the grant shows when it expires (is {grants.text!r})")
        self.require("#work-subscriptions", "the data user's subscriptions on the home page")
        self.check(self.find("#work-applications") is None, "a data user has no applications to review")
        self.screenshot("home-data-user")

        self.step("objections (Art. 21): 省人社厅 objects to three birth dates; 省数据局 confirms two and corrects them, "
                  "rejects one; the objector disputes; the authority rules")
        self.sign_in_as("hrss_user")
        self.open("/data")
        link = self.require("a[href^='/data/101001-']", "the 人口基础信息 dataset in the list")
        dataset_path = urlparse(link.get_attribute("href")).path
        self.open(dataset_path)
        self.click_and_wait_for_new_page(self.require("#preview-submit", "the preview form"), "preview under the subscription")
        self.require("#preview", "the preview table")
        self.require("#preview tr.flagged", "rows the demo's objections confirmed wrong are marked")
        for row in (10, 11, 12):
            self.require(f"#preview input[name='row_{row}']", f"the checkbox of row {row}").click()
        self.click_and_wait_for_new_page(self.require("#preview-objection-submit", "object to the ticked rows"), "open the form")
        self.require("form#objection-form", "the objection form")
        self.d.find_element(By.CSS_SELECTOR, "select[name='item'] option[value='CSRQ']").click()
        for index, value in enumerate(("1980-01-02", "1981-02-03", "1982-03-04")):
            self.d.find_element(By.NAME, f"value_{index}").send_keys(value)
        self.d.find_element(By.NAME, "description").send_keys("参保登记核验发现出生日期与户口簿不符（浏览器测试）")
        self.click_and_wait_for_new_page(self.require("#objection-submit", "raise"), "raise the objection")
        self.screenshot("objection-raised")
        objection = self.path()
        self.check(objection.startswith("/objections/"), f"lands on the objection's page (at {objection})")
        status = self.require("#objection-status", "the objection's status")
        self.check("待提供部门答复" in (status.text or "") and re.search(r"\d{4}-\d{2}-\d{2}", status.text or "") is not None,
                   f"awaiting the provider, with its due date on the calendar (is {status.text!r})")
        keys = self.require("#objection-records", "the objected records")
        self.check("*" in (keys.text or ""), f"the objector sees the keys masked as it read them (is {keys.text!r})")

        self.sign_in_as("gd_cataloger")
        self.open(objection)
        for index, decision in ((0, "confirm"), (1, "confirm"), (2, "reject")):
            self.d.find_element(By.CSS_SELECTOR, f"input[name='decision_{index}'][value='{decision}']").click()
        self.d.find_element(By.NAME, "reason_2").send_keys("经核对户籍档案，出生日期登记无误")
        self.click_and_wait_for_new_page(self.require("#objection-answer-submit", "the answer form"), "answer")
        self.click_and_wait_for_new_page(self.require("#objection-correct-submit", "the correction form"), "correct")
        self.screenshot("objection-corrected")
        records = self.require("#objection-records", "the records after the correction")
        self.check((records.text or "").count("已更正") == 2, f"two records corrected (is {records.text!r})")
        self.check("不予认可" in (records.text or ""), f"one record rejected with its reason (is {records.text!r})")

        self.sign_in_as("hrss_user")
        self.open(objection)
        self.d.find_element(By.NAME, "reason").send_keys("户口簿原件记载为1982-03-04")
        self.click_and_wait_for_new_page(self.require("#objection-dispute", "the dispute form"), "dispute")
        status = self.require("#objection-status", "the objection's status")
        self.check("有争议" in (status.text or ""), f"disputed, awaiting the authority (is {status.text!r})")

        # 人口基础信息 is the authority's own: its reviewers see the dispute but do not rule on their own department's
        # data; the authority's platform administrator does (Impartiality).
        self.sign_in_as("gd_reviewer")
        self.open(objection)
        self.check(self.find("#objection-ruling-submit") is None, "the authority's reviewers do not rule on their own data")
        self.sign_in_as("admin")
        self.open("/objections")
        self.require(f"#objection-queue a[href='{objection}']", "the dispute in the administrator's queue")
        self.open(objection)
        self.d.find_element(By.CSS_SELECTOR, "input[name='upheld'][value='true']").click()
        self.d.find_element(By.NAME, "ruling").send_keys("以户口簿原件为准，提供部门应予更正")
        self.click_and_wait_for_new_page(self.require("#objection-ruling-submit", "the ruling form"), "rule")
        self.screenshot("objection-ruled")
        self.require("#objection-ruling", "the ruling on record")
        status = self.require("#objection-status", "the objection's status")
        self.check("裁定支持异议" in (status.text or "") and "更正时限" in (status.text or ""),
                   f"upheld, with a correction date binding the provider (is {status.text!r})")
        history = self.require("#objection-history", "the objection's history")
        self.check((history.text or "").count("·") >= 10, f"every step is in the history (is {history.text!r})")

        self.step("supervision (Art. 29–30): the authority runs the checks, orders 公安厅 to correct a finding; 公安厅 "
                  "responds; the authority accepts")
        self.sign_in_as("gd_reviewer")
        self.open("/supervision")
        self.click_and_wait_for_new_page(self.require("#sup-check-form button", "run the checks"), "run the checks")
        self.require("#chart-findings-by-rule rect.col", "open findings by rule drawn")
        last = self.require("#sup-last-run", "the last run")
        self.check("gd_reviewer" in (last.text or "") or "审核员" in (last.text or ""), f"run by the reviewer (is {last.text!r})")
        self.open("/supervision?rule=late_reply")
        rows = self.d.find_elements(By.CSS_SELECTOR, "#sup-findings tbody tr")
        target = None
        for row in rows:
            if "公安厅" in (row.text or "") and row.find_elements(By.CSS_SELECTOR, "details.sup-order"):
                target = row
                break
        self.check(target is not None, "a late reply of 公安厅 the authority may order corrected")
        target.find_element(By.CSS_SELECTOR, "details.sup-order summary").click()
        target.find_element(By.NAME, "what").send_keys("按期答复共享申请并建立到期提醒（浏览器测试）")
        self.click_and_wait_for_new_page(target.find_element(By.CSS_SELECTOR, "form.sup-order-form button"), "issue the order")
        order = self.path()
        self.check(order.startswith("/supervision/orders/"), f"lands on the order (at {order})")
        self.require("#order-signature-valid", "the order is sealed and verifies")
        status = self.require("#order-status", "the order's status")
        self.check("待整改" in (status.text or ""), f"issued (is {status.text!r})")
        self.screenshot("order-issued")
        self.sign_in_as("psb_reviewer")
        self.open("/")
        self.require(f"#home-supervision-orders a[href='{order}']", "the order waits on 公安厅's home page")
        self.open(order)
        self.d.find_element(By.NAME, "response").send_keys("已答复逾期申请，并在系统中设置到期前两个工作日提醒（浏览器测试）")
        self.click_and_wait_for_new_page(self.require("#order-respond-form button", "respond"), "respond")
        status = self.require("#order-status", "the order's status")
        self.check("待审核" in (status.text or ""), f"responded, awaiting review (is {status.text!r})")
        self.sign_in_as("gd_reviewer")
        self.open("/")
        self.require(f"#home-supervision-orders a[href='{order}']", "the response waits on the authority's home page")
        self.open(order)
        self.click_and_wait_for_new_page(self.require("#order-decide-form button", "decide"), "accept")
        status = self.require("#order-status", "the order's status")
        self.check("整改完成" in (status.text or ""), f"accepted (is {status.text!r})")
        self.require("#order-response", "the response on record")
        self.screenshot("order-accepted")
        self.open("/supervision")
        self.require("#sup-orders tr.overdue", "the demo's overdue order is marked")

        self.step("assessment (Art. 31): one reviewer computes a quarter, may not publish it; another publishes it "
                  "sealed; the public page shows it without signing in")
        self.sign_in_as("gd_reviewer")
        self.open("/assessments")
        today = time.gmtime(time.time() + 8 * 3600)
        quarter = f"{today.tm_year}-Q{(today.tm_mon - 1) // 3 + 1}"
        period = self.require("#assessment-compute-form input[name='period']", "the compute form")
        period.clear()
        period.send_keys(quarter)
        self.click_and_wait_for_new_page(self.require("#assessment-compute-form button", "compute"), "compute the quarter")
        draft = self.path()
        self.check(draft.startswith("/assessments/"), f"lands on the draft (at {draft})")
        self.require("#assessment-draft-hint", "the draft is marked as not public")
        self.require("#assessment-ranking tbody tr", "every department's scores")
        self.require("#assessment-indicators", "the viewer's own department's computation with inputs and formulas")
        self.click_and_wait_for_new_page(self.require("#assessment-publish-form button", "publish"), "publish own computation")
        error = self.require("#assess-error", "the refusal")
        self.check("计算" in (error.text or ""), f"whoever computed it does not publish it (is {error.text!r})")
        self.sign_in_as("gd_supervisor")
        self.open("/")
        self.require(f"#home-assessment-drafts a[href='{draft}']", "the draft waits on the other reviewer's home page")
        self.open(draft)
        self.click_and_wait_for_new_page(self.require("#assessment-publish-form button", "publish"), "publish")
        status = self.require("#assessment-status", "the period's status")
        self.check("已发布" in (status.text or ""), f"published (is {status.text!r})")
        self.require("#assessment-valid", "the seal verifies")
        self.screenshot("assessment-published")
        self.sign_in_as("psb_reviewer")
        self.open("/")
        line = self.require("#home-assessment", "the department's newest published score on its home page")
        self.check("名次" in (line.text or ""), f"score and rank (is {line.text!r})")
        self.click_and_wait_for_new_page(self.require("#logout-submit", "sign out"), "sign out")
        self.open("/assessments")
        self.require("#public-nav a[href='/assessments']", "the public link for visitors")
        self.require(f"#assessment-periods a[href='{draft}']", "the published quarter in the public list")
        self.open(draft)
        self.require("#chart-distribution rect.col", "the distribution chart drawn")
        self.require("#chart-ranking rect.col", "the ranking chart drawn")
        self.require("#assessment-valid", "anyone can see the seal verify")
        self.check(self.find("#assessment-publish-form") is None, "visitors cannot publish")
        self.screenshot("assessment-public")

    def sign_in_as(self, username: str) -> None:
        logout = self.find("#logout-submit")
        if logout is not None:
            self.click_and_wait_for_new_page(logout, "sign-out")
        self.open("/login")
        self.fill_login(username, self.args.password)
        self.check(self.find("#current-user") is not None, f"signed in as {username}")


def make_driver(args: argparse.Namespace) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,900", "--lang=zh-CN", "--no-first-run", "--no-default-browser-check",
                 "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--metrics-recording-only", "--no-proxy-server"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    service = Service(executable_path=args.chromedriver)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:18080")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="GovShare#2026")
    parser.add_argument("--display-name", default="平台管理员（演示）",
                        help="expected in #current-user after signing in; '' only requires it to be non-empty")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    artifact_dir = os.environ.get("ARTIFACT_DIR") or "/tmp"
    os.makedirs(artifact_dir, exist_ok=True)

    started = time.monotonic()
    try:
        driver = make_driver(args)
    except WebDriverException as exc:
        print(f"FAIL: could not start headless Chromium: {exc.msg or exc}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1

    test = PortalTest(driver, args.base_url, artifact_dir, args)
    failure = None
    try:
        test.run()
    except CheckFailed as exc:
        failure = str(exc)
    except WebDriverException as exc:
        failure = f"browser error: {(exc.msg or str(exc)).strip()}"
    except Exception as exc:  # noqa: BLE001 - report anything as a failure of this step
        failure = f"{type(exc).__name__}: {exc}"
    if failure is not None:
        try:
            shot = test.screenshot("FAILED")
            source = shot[:-4] + ".html"
            with open(source, "w", encoding="utf-8") as fh:
                fh.write(driver.page_source)
            print(f"    page source {source}")
        except Exception:  # noqa: BLE001 - best effort
            pass
    try:
        driver.quit()
    except Exception:  # noqa: BLE001
        pass

    elapsed = time.monotonic() - started
    if failure is not None:
        print(f"FAIL in step {test.step_no} ({test.step_name}): {failure}", file=sys.stderr, flush=True)
        print(f"portal test: {test.passed} checks passed before the failure ({elapsed:.1f} s)", flush=True)
        print(f"{test.passed} passed, 1 failed", flush=True)
        return 1
    print(f"portal test: all checks passed in {elapsed:.1f} s", flush=True)
    print(f"{test.passed} passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
