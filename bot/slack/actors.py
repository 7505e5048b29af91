"""Who is acting in Slack: an Actor, with the approver group claim when Slack says they are an approver."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from bot.slack.settings import SlackSettings

if TYPE_CHECKING:
    from bot.domain.models import Actor

#: The approver claim the lifecycle checks (the same group name the web front's identity provider sends).
APPROVER_GROUP = "accessbot-approvers"
#: User group members are cached this long (seconds): one usergroups.users.list per group per warm container.
GROUP_TTL = 300.0


class ApproverDirectory:
    """Resolves ACCESSBOT_APPROVERS: user ids directly, user groups (S...) with usergroups.users.list, cached.

    https://api.slack.com/methods/usergroups.users.list (scope usergroups:read)
    """

    def __init__(self, settings: SlackSettings, *, ttl: float = GROUP_TTL) -> None:
        self._users = settings.approver_users
        self._groups = settings.approver_groups
        self._ttl = ttl
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def groups_of(self, user: str, client: Any) -> frozenset[str]:
        """The approver claim and the configured user groups `user` belongs to."""
        claims: set[str] = set()
        for group in self._groups:
            if user in self._members(group, client):
                claims.add(group)
        if user in self._users or claims:
            claims.add(APPROVER_GROUP)
        return frozenset(claims)

    def _members(self, group: str, client: Any) -> frozenset[str]:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(group)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        response = client.usergroups_users_list(usergroup=group)
        members = frozenset(str(u) for u in response.get("users") or [])
        with self._lock:
            self._cache[group] = (now, members)
        return members


def actor(user: str, client: Any, directory: ApproverDirectory, *, display: str | None = None) -> Actor:
    from bot.domain.models import Actor, Front  # lazy work only: the acks never build an Actor

    return Actor(
        id=user,
        front=Front.SLACK,
        display=(display or None) and display[:256],
        groups=directory.groups_of(user, client),
    )


def session_id(team: str | None, user: str) -> str:
    """One dialog session per person per workspace."""
    return f"slack:{team or '-'}:{user}"
