"""When the embedded parser is unsure (or always, if configured), a model's draft replaces its grants."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain.accounts import AccountRegistry
from intents.catalog import FALLBACK
from intents.parser import Parse
from intents.understander import DraftRequest, Understander, to_drafts
from intents.when import from_iso

_REFUSALS = frozenset({"too_broad", "variable"})


def second_reading(
    read: Parse, understander: Understander, registry: AccountRegistry, *, always: bool = False
) -> tuple[Parse, bool]:
    """The reading to go on with, and whether the model's draft was used.

    Refusals stand (a model is never asked to reconsider "admin access"); a complete embedded reading
    stands unless `always`. The draft's grants then go through the same checks as the parser's.
    """
    if read.intent not in {"RequestAccess", FALLBACK} or _REFUSALS & set(read.problems):
        return read, False
    complete = bool(read.grants) and all(g.service and (g.levels or g.actions) for g in read.grants)
    if complete and not always:
        return read, False
    draft = understander.understand(read.text, registry=registry)
    if draft is None:
        return read, False
    grants, _ = to_drafts(draft)
    if not grants:
        return read, False
    slots = {k: v for k, v in read.slots.items() if k not in {"service", "access_level", "action", "resource"}}
    slots.update(_draft_slots(draft, registry, slots))
    slots["service"] = list(dict.fromkeys(g.service for g in grants if g.service))
    levels = [lv.value for g in grants for lv in g.levels]
    actions = [a for g in grants for a in g.actions]
    resources = [r for g in grants for r in g.resources]
    slots.update({k: list(dict.fromkeys(v)) for k, v in (("access_level", levels), ("action", actions),
                                                           ("resource", resources)) if v})  # fmt: skip
    problems = {k: v for k, v in read.problems.items() if k in {"contradiction"}}
    return replace(read, intent="RequestAccess", confidence=0.7, grants=grants, slots=slots, problems=problems), True


def _draft_slots(draft: DraftRequest, registry: AccountRegistry, known: dict[str, Any]) -> dict[str, Any]:
    """The draft's account, regions, duration and reason, where the words gave none (the words win)."""
    out: dict[str, Any] = {}
    account = registry.find(draft.account) if draft.account else None
    if account is not None and not known.get("account"):
        out["account"] = [account.alias]
    regions = [r for r in draft.regions if len(r) < 20 and r.count("-") == 2]
    if regions and not known.get("region"):
        out["region"] = regions
    if draft.duration and from_iso(draft.duration) and not known.get("duration"):
        out["duration"] = draft.duration.upper()
    if draft.justification and not known.get("justification"):
        out["justification"] = draft.justification[:500]
    return out
