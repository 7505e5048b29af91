"""The whole lifecycle in Debian's Chromium against `accessbot serve` (in-process, embedded world).

alice asks in words, answers the follow-up, reads the policy, submits; sam, signed in in another
browser, sees the request pending, is told a denial needs a reason, approves; alice's badge turns
ACTIVE by itself, and again after she signs out and back in; the policy is in the sandbox account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.functional.local.serving import ASK, SANDBOX, WHY, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as monkeypatch, serving(monkeypatch) as running:
        yield running


def sign_in(page: Any, site: str, name: str) -> None:
    page.goto(site + "/")
    page.get_by_role("button", name=name).click()
    page.get_by_label("Message").wait_for()


def say(page: Any, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.keyboard.press("Enter")


def test_alice_asks_sam_approves_and_alice_sees_it_active(browser: Any, page: Any, serve: Any) -> None:
    site = serve.http.url
    sign_in(page, site, "Alice Martin (alice)")
    expect(page.locator("#mine-list")).to_contain_text("You have no requests yet.")
    say(page, ASK)
    expect(page.locator(".msg.bot .text").last).to_have_text(re.compile(r"^Why do you need it\?"))
    say(page, WHY)
    page.get_by_role("button", name="Submit").wait_for()
    assert '"s3:PutObject"' in page.locator(".policy pre").last.text_content()
    assert "arn:aws:s3:::analytics-raw/*" in page.locator(".policy pre").last.text_content()
    shot(page, "flow-draft")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#status-badge")).to_have_text("PENDING APPROVAL")
    request_id = page.locator("#status-id").text_content()
    assert re.fullmatch(r"AR-[A-Z0-9]{5}", request_id or "")
    expect(page.get_by_role("button", name=f"Follow {request_id}")).to_be_visible()
    expect(page.locator("#mine-list")).to_contain_text("waiting for approval")

    approver = browser.new_context(viewport={"width": 1200, "height": 900})
    sam = approver.new_page()
    problems: list[str] = []
    sam.on("pageerror", lambda error: problems.append(str(error)))
    try:
        sign_in(sam, site, "Sam Okafor (sam)")
        row = sam.locator(f'.decide[data-request="{request_id}"]')
        expect(row).to_be_visible()
        sam.get_by_role("button", name=f"Deny {request_id}").click()
        expect(row.locator("[role=status]")).to_have_text("Say why you deny it.")
        shot(sam, "flow-approver")
        sam.get_by_role("button", name=f"Approve {request_id}").click()
        expect(row.locator("[role=status]")).to_contain_text(f"Approved {request_id}: the policy is in place")
        expect(sam.locator("#pending")).to_contain_text("Nothing is waiting for your approval.", timeout=10_000)
    finally:
        approver.close()
    assert problems == []

    # alice's page polls: the badge changes by itself, and the chat says what happened.
    expect(page.locator("#status-badge")).to_have_text("ACTIVE", timeout=15_000)
    expect(page.locator("#messages")).to_contain_text(f"{request_id}: active")
    expect(page.locator("#mine-list")).to_contain_text("active")
    shot(page, "flow-active")

    # Signed out and in again, she finds the request where she left it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site, "Alice Martin (alice)")
    expect(page.locator("#status-id")).to_have_text(request_id)
    expect(page.locator("#status-badge")).to_have_text("ACTIVE")
    assert page.problems == []

    iam = serve.world.client("iam", SANDBOX)
    arn = f"arn:aws:iam::{SANDBOX}:policy/accessbot-{request_id}"
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == f"accessbot-{request_id}"
    attached = iam.list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert arn in [p["PolicyArn"] for p in attached]
