"""Every text the web front's API says itself (the bot's chat replies come from the dialog)."""

from __future__ import annotations

SIGN_IN = "Sign in first."
BODY_TOO_LARGE = "That message is too large (at most {limit} KB)."
BAD_JSON = "The request body must be a JSON object."
TEXT_REQUIRED = "Type a message first."
TEXT_TOO_LONG = "That message is too long (at most {limit} characters)."
BAD_SESSION = "The session id may use letters, digits, '-' and '_' (at most 64)."
NOT_FOUND = "There is nothing here."
INTERNAL = "Something went wrong on our side; nothing was changed. Try again in a moment."
RETRY_LATER = "The bot is busy; try again in a moment."
APPROVERS_ONLY = "Only security approvers can see pending requests."
DECISION_REQUIRED = "Say whether you approve: {\"approve\": true} or {\"approve\": false, \"reason\": \"…\"}."
DENY_NEEDS_REASON = "Say why you deny the request."
BAD_REQUEST_ID = "That is not a request id (like AR-7F3K2)."
LEX_EMPTY = "I didn't catch that; try rephrasing."
