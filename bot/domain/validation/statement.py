"""A statement that passed the grammar: normalised (tuples, None when absent), with its action lists as sets."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from bot.domain.validation.action_sets import ActionSet, action_set
from bot.domain.validation.patterns import resource_list

if TYPE_CHECKING:
    from bot.domain.validation.patterns import ActionPattern

ConditionValue = tuple[str, ...]


class Clause(NamedTuple):
    """One `operator: {key: values}` entry of a Condition block."""

    operator: str
    key: str
    values: ConditionValue


class Statement:
    """A statement that passed the grammar, normalised: tuples everywhere, None when absent.

    Its Action and NotAction lists come as sets, shared by every statement naming the same list.
    """

    __slots__ = (
        "actions",
        "allow",
        "conditions",
        "effect",
        "index",
        "negative",
        "not_actions",
        "not_resources",
        "positive",
        "ref",
        "resource_list",
        "resources",
        "sid",
    )

    def __init__(
        self,
        *,
        index: int,
        sid: str | None,
        effect: str,
        actions: tuple[str, ...] | None,
        not_actions: tuple[str, ...] | None,
        resources: tuple[str, ...] | None,
        not_resources: tuple[str, ...] | None,
        conditions: tuple[Clause, ...],
    ) -> None:
        self.index = index
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.not_actions = not_actions
        self.resources = resources
        self.not_resources = not_resources
        self.conditions = conditions
        # How findings name the statement: its Sid, else its 0-based index.
        self.ref: int | str = sid if sid else index
        self.allow = effect == "Allow"
        self.positive: ActionSet | None = action_set(actions) if actions is not None else None
        self.negative: ActionSet | None = action_set(not_actions) if not_actions is not None else None
        # The Resource (or NotResource) list, shared by every statement naming the same one.
        self.resource_list = resource_list(resources if resources is not None else not_resources or ())

    def content(self) -> tuple[object, ...]:
        """Everything but the position: two statements with the same content say the same."""
        return (
            self.sid,
            self.effect,
            self.actions,
            self.not_actions,
            self.resources,
            self.not_resources,
            self.conditions,
        )

    def __repr__(self) -> str:
        return f"Statement({self.index}, {self.content()!r})"

    def action_sets(self) -> tuple[ActionSet | None, ActionSet | None]:
        """Action and NotAction as indexed sets."""
        return self.positive, self.negative

    def patterns(self) -> list[ActionPattern]:
        """The Action (or NotAction) entries, each resolved against the catalogue (kept with the list's set)."""
        matcher = self.positive if self.positive is not None else self.negative
        return matcher.patterns() if matcher is not None else []

    def condition_keys(self) -> frozenset[str]:
        return frozenset(c.key.lower() for c in self.conditions)
