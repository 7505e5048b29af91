"""The chat page's rendering and safety, with a scripted bot behind the real router (no dialog needed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.local.http import LocalHttpServer
from tests.browser.conftest import shot
from tests.functional.web.conftest import FakeBackend, FakeEngine, free_port

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def site(engine: FakeEngine, backend: FakeBackend) -> Iterator[str]:
    server = LocalHttpServer("127.0.0.1", free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    from bot.web import chat, identity, routes

    monkeypatch.setenv("ACCESSBOT_STAGE", "local")
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()
    fake = FakeEngine()
    chat.use_engine(fake)
    yield fake
    chat.use_engine(None)


@pytest.fixture
def backend() -> Iterator[FakeBackend]:
    from bot.web import approvals

    fake = FakeBackend()
    approvals.use_backend(fake)
    yield fake
    approvals.use_backend(None)


def sign_in(page: Any, site: str, name: str) -> None:
    page.goto(site + "/")
    page.get_by_role("button", name=name).click()
    page.get_by_label("Message").wait_for()


def test_hostile_text_shows_as_text_and_nothing_runs(page: Any, site: str, engine: FakeEngine) -> None:
    page.on("dialog", lambda dialog: page.problems.append("dialog opened: " + dialog.message))
    sign_in(page, site, "Alice Martin (alice)")
    page.get_by_label("Message").fill(f"{XSS} read the bucket")
    page.keyboard.press("Enter")  # Enter sends
    page.get_by_text("Policy document").wait_for()
    assert page.locator("#messages img").count() == 0
    assert page.locator(".msg.me .text").last.text_content() == f"{XSS} read the bucket"
    assert page.locator(".msg.bot .text").nth(1).text_content() == f"You said: {XSS} read the bucket"
    assert engine.turns[0][1] == f"{XSS} read the bucket"
    assert page.problems == []
    assert page.evaluate("document.activeElement.id") == "text"  # focus back in the box


def test_replies_render_policy_findings_table_chart_and_status(page: Any, site: str) -> None:
    sign_in(page, site, "Alice Martin (alice)")
    page.get_by_label("Message").fill("read the bucket")
    page.get_by_role("button", name="Send").click()
    page.locator(".policy pre .j-key").first.wait_for()
    assert page.locator(".policy pre").text_content().startswith('{\n  "Version": "2012-10-17"')
    assert page.locator("table th").all_text_contents() == ["service", "calls"]
    assert page.locator("svg.chart rect.bar").count() == 1
    assert page.locator("#status-badge").text_content() == "PENDING APPROVAL"
    assert page.locator("#messages").get_attribute("aria-live") == "polite"
    shot(page, "page-replies")
    page.get_by_role("button", name="Yes").click()
    page.locator(".msg.me").nth(1).wait_for()
    assert page.locator(".msg.me .text").nth(1).text_content() == "Yes"


def test_approvers_see_pending_and_decide(page: Any, site: str, backend: FakeBackend) -> None:
    sign_in(page, site, "Sam Okafor (sam)")
    page.get_by_role("button", name="Deny AR-7F3K2").click()
    expect(page.locator(".decide [role=status]")).to_have_text("Say why you deny it.")
    page.get_by_role("button", name="Approve AR-7F3K2").click()
    expect(page.locator(".decide [role=status]")).to_have_text("AR-7F3K2 approved")
    assert ("decide", ("AR-7F3K2", True, None, "sam")) in backend.calls
    shot(page, "page-approver")


def test_requesters_do_not_see_the_approvals_panel_and_phones_get_one_column(page: Any, site: str) -> None:
    sign_in(page, site, "Bob Chen (bob)")
    assert page.locator("#approvals").is_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "page-phone")


def test_signing_out_forgets_the_token(page: Any, site: str) -> None:
    sign_in(page, site, "Alice Martin (alice)")
    assert page.evaluate("sessionStorage.getItem('accessbot.token')")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sam Okafor (sam)").wait_for()
    assert page.evaluate("sessionStorage.getItem('accessbot.token')") is None
