"""Usage questions in Debian's Chromium against `accessbot serve`: tables, the "which account?" buttons, a no.

bob asks what DBAdminRole used without naming its account: the report's table shows at once. He asks
about DataScientist (a role in every account): one button per account; a click shows dev's table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_chat_flow import say, sign_in
from tests.functional.local.serving import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as monkeypatch, serving(monkeypatch) as running:
        yield running


def test_usage_tables_and_the_account_buttons(browser: Any, page: Any, serve: Any) -> None:
    site = f"http://127.0.0.1:{serve.port}"
    sign_in(page, site, "bob")
    say(page, "what has DBAdminRole used in the last 90 days")
    report = page.locator(".msg.bot").last
    expect(report.locator(".text").first).to_have_text(re.compile(r"^DBAdminRole in sandbox, last 90 days"))
    expect(report.locator("table th")).to_have_text(["Service", "Last used", "By", "Unused actions", "Granted by"])
    expect(report.locator("table tbody tr").first).to_contain_text("Amazon DynamoDB3 days ago")
    expect(report.locator("svg.chart")).to_be_visible()
    expect(report.get_by_role("button", name="Trim")).to_be_visible()

    say(page, "what has DataScientist used in the last 30 days")
    asked = page.locator(".msg.bot").last
    expect(asked.locator(".text")).to_have_text(
        "DataScientist is in sandbox, dev, test and prod. Which account do you mean?")
    expect(asked.locator(".buttons button")).to_have_text(["sandbox", "dev", "test", "prod"])
    asked.get_by_role("button", name="dev").click()
    answer = page.locator(".msg.bot").last
    expect(answer.locator(".text").first).to_have_text(re.compile(r"^DataScientist in dev, last 30 days"))
    expect(answer.locator("table tbody tr").first).to_be_visible()

    say(page, "what has <b>GhostRole</b> used")
    expect(page.locator(".msg.bot .text").last).to_have_text(re.compile(r"^I found no role or user named GhostRole"))
    shot(page, "usage-chat")
    assert page.problems == []
