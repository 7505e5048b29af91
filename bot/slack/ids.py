"""The action and callback ids Slack sends back: shared by the Block Kit builders and the routes that answer them."""

from __future__ import annotations

#: Request card buttons (the security team's).
APPROVE = "card_approve"
DENY = "card_deny"
VIEW_POLICY = "card_view_policy"
RETRY = "card_retry"
#: Reply buttons carry the next turn's text; clicking one is a new turn. Past MAX_BUTTONS, one static select.
TURN_ACTION = "turn:{index}"
TURN_ACTIONS = r"^turn:\d+$"
TURN_SELECT = "turn_select"
#: The Edit… button under a draft (its value is the draft request as JSON).
EDIT_ACTION = "edit_draft"
#: Modal callbacks.
DENY_CALLBACK = "deny_reason"
VALIDATE_CALLBACK = "validate_policy"
EDIT_CALLBACK = "edit_request"
POLICY_CALLBACK = "view_policy"
