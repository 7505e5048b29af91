"""Usage reports and trim proposals as front-neutral Outcomes: text, a table with a chart, and buttons."""

from __future__ import annotations

from datetime import datetime

from bot.domain import usage_texts as texts
from bot.domain.replies import Button, Outcome, Reply, Table
from bot.domain.usage import AccountReport, Pending, ServiceUsage, UsageReport, Use, ago, days_since
from bot.domain.usage_lookup import CHOOSE_ACCOUNT, Choice
from bot.domain.usage_trim import TrimProposal

MAX_ROWS = 60
MAX_ACTION_ROWS = 25
MAX_LISTED = 8
MAX_DETAIL_BUTTONS = 3
#: A name found in more accounts than this gets no buttons past it: the person types the account instead.
MAX_CHOICE_BUTTONS = 10


def _names(items: list[str], limit: int = MAX_LISTED) -> str:
    shown = ", ".join(items[:limit])
    return shown + (", " + texts.MORE.format(count=len(items) - limit) if len(items) > limit else "")


def _entity_name(arn: str | None) -> str:
    """`arn:aws:iam::1:role/ops/DBAdminRole` -> `DBAdminRole`; AWS sometimes puts a space after the slash."""
    return arn.rpartition("/")[2].strip() if arn else ""


def _by(service: ServiceUsage) -> str:
    if service.used_by:
        names = [e.name for e in service.used_by]
        return _names(names, 3)
    return _entity_name(service.entity)


def _when(report: UsageReport | AccountReport, when: datetime | None) -> str:
    if when is None:
        return texts.NEVER
    words = ago(when, report.now)
    if isinstance(report, UsageReport) and report.use_of(when) is Use.STALE:
        return texts.STALE.format(when=words, days=report.days)
    return words


def _unused_actions_cell(report: UsageReport, service: ServiceUsage) -> str:
    if service.tracked_actions is None:
        return texts.NOT_TRACKED
    unused = [a.name for a in service.tracked_actions if report.use_of(a.last_used) is not Use.USED]
    return f"{len(unused)}/{len(service.tracked_actions)}" if service.tracked_actions else "0"


def trim_button(arn: str, days: int) -> Button:
    """The button the dialog reads back as the TrimPolicy intent ("trim <arn> <days> days")."""
    return Button(label=texts.TRIM_LABEL, value=texts.TRIM_VALUE.format(arn=arn, days=days), style="primary")


def report_outcome(report: UsageReport, *, trimmable: bool = True) -> Outcome:
    """One principal: the headline, a service table with a days-since-last-use chart, tracked actions, Trim."""
    name = report.principal.name
    if not report.services:
        return Outcome(replies=(Reply(text=texts.REPORT_NOTHING.format(name=name)),), status="done")
    unused = report.unused()
    lines = [
        texts.REPORT_HEAD.format(
            name=name, account=report.account, days=report.days, used=len(report.used()), granted=len(report.services)
        )
    ]
    if unused:
        lines.append(texts.REPORT_UNUSED.format(days=report.days, services=_names([s.name for s in unused])))
    else:
        lines.append(texts.REPORT_ALL_USED.format(days=report.days))
    lines.append(texts.REPORT_LAG)
    rows = tuple(
        (
            s.name,
            _when(report, s.last_used),
            _by(s),
            _unused_actions_cell(report, s),
            _names(list(s.granted_by), 3),
        )
        for s in report.services[:MAX_ROWS]
    )
    chart = {s.namespace: days_since(s.last_used, report.now) for s in report.services if s.last_used is not None}
    can_trim = trimmable and bool(unused or report.unused_actions())
    buttons = (trim_button(report.principal.arn, report.days),) if can_trim else ()
    replies = [
        Reply(
            text="\n".join(lines),
            table=Table(columns=texts.REPORT_COLUMNS, rows=rows, chart=chart or None),
            buttons=buttons,
        )
    ]
    actions = _actions_reply(report)
    if actions is not None:
        replies.append(actions)
    return Outcome(replies=tuple(replies), status="done")


def _actions_reply(report: UsageReport) -> Reply | None:
    tracked = [(s, a) for s, a in report.tracked() if report.use_of(s.last_used) is Use.USED]
    if not tracked:
        return None
    unused = report.unused_actions()
    # Used first, most recent first: the unused ones are many and read best as a count.
    order = {Use.USED: 0, Use.STALE: 1, Use.NEVER: 2}
    ordered = sorted(
        tracked,
        key=lambda pair: (
            order[report.use_of(pair[1].last_used)],
            -(pair[1].last_used.timestamp() if pair[1].last_used else 0.0),
            pair[0].namespace,
            pair[1].name,
        ),
    )
    rows = tuple(
        (f"{s.namespace}:{a.name}", _when(report, a.last_used), _entity_name(a.entity))
        for s, a in ordered[:MAX_ACTION_ROWS]
    )
    if len(ordered) > MAX_ACTION_ROWS:
        rows += ((texts.MORE.format(count=len(ordered) - MAX_ACTION_ROWS), "", ""),)
    text = texts.REPORT_ACTIONS.format(unused=len(unused), tracked=len(tracked), days=report.days)
    return Reply(text=text, table=Table(columns=texts.ACTION_COLUMNS, rows=rows))


def account_outcome(report: AccountReport, *, cli: bool = False) -> Outcome:
    """Every role of an account, most unused first, with buttons to the worst ones' reports."""
    if not report.rows and not report.pending:
        return Outcome(replies=(Reply(text=texts.ACCOUNT_NO_ROLES.format(account=report.account)),), status="done")
    with_unused = [r for r in report.rows if r.unused and r.error is None]
    lines = [
        texts.ACCOUNT_HEAD.format(
            account=f"{report.account} ({report.account_id})",
            checked=report.checked,
            total=report.total,
            unused=len(with_unused),
            days=report.days,
        )
    ]
    if report.pending:
        partial = texts.ACCOUNT_PARTIAL_CLI if cli else texts.ACCOUNT_PARTIAL
        lines.append(partial.format(pending=report.pending))
    if report.capped:
        lines.append(texts.ACCOUNT_CAPPED.format(limit=report.total))
    if report.rows:
        lines.append(texts.ACCOUNT_SORTED)
    rows = tuple(
        (
            r.name,
            str(r.granted) if r.error is None else "",
            str(r.unused) if r.error is None else texts.ACCOUNT_FAILED_ROW.format(reason=r.error),
            _when(report, r.last_used) if r.error is None else "",
        )
        for r in report.rows[:MAX_ROWS]
    )
    chart = {r.name: days_since(r.last_used, report.now) for r in report.rows[:20] if r.last_used is not None}
    buttons = tuple(
        Button(
            label=texts.DETAIL_LABEL.format(name=r.name)[:75],
            value=texts.DETAIL_VALUE.format(arn=r.arn, days=report.days),
        )
        for r in with_unused[:MAX_DETAIL_BUTTONS]
    )
    table = Table(columns=texts.ACCOUNT_COLUMNS, rows=rows, chart=chart or None) if rows else None
    reply = Reply(text="\n".join(lines), table=table, buttons=buttons)
    return Outcome(replies=(reply,), status="partial" if report.pending else "done")


def pending_outcome(pending: Pending, *, cli: bool = False) -> Outcome:
    text = (texts.STILL_RUNNING_CLI if cli else texts.STILL_RUNNING).format(name=pending.name)
    return Outcome(replies=(Reply(text=text),), status="running")


def listed(items: list[str], last: str = texts.AND) -> str:
    """ "sandbox", "sandbox and dev", "sandbox, dev and prod" (or "... or prod")."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


def _unchecked(choice: Choice) -> str:
    if not choice.unchecked:
        return ""
    accounts = listed([account for account, _ in choice.unchecked])
    return texts.LOOKUP_UNCHECKED.format(accounts=accounts, reason=choice.unchecked[0][1]).rstrip(".") + "."


def choice_outcome(choice: Choice) -> Outcome:
    """ "Which account?": one button per account holding the name.

    The dialog asks it as its own question (awaiting the account), so a button sends just the alias, as a
    typed answer would: short enough for every front (Lex cards take 50 characters), and the service
    then finds the name in that account under its real ARN, role or user (for a report or a trim alike).
    """
    aliases = [m.account for m in choice.matches]
    shown = listed(aliases[:MAX_CHOICE_BUTTONS])
    more = len(aliases) - MAX_CHOICE_BUTTONS
    if more > 0:
        shown = ", ".join(aliases[:MAX_CHOICE_BUTTONS]) + texts.CHOOSE_MORE.format(count=more)
    text = texts.CHOOSE.format(name=choice.name, accounts=shown, unchecked=_unchecked(choice))
    buttons = tuple(Button(label=m.account[:75], value=m.account) for m in choice.matches[:MAX_CHOICE_BUTTONS])
    return Outcome(replies=(Reply(text=text, buttons=buttons),), status=CHOOSE_ACCOUNT)


def choice_cli_text(choice: Choice) -> str:
    """The terminal's one line: where the name is, and the command that names the account."""
    aliases = [m.account for m in choice.matches]
    return texts.CLI_CHOOSE.format(
        name=choice.name, accounts=listed(aliases), unchecked=_unchecked(choice), first=aliases[0]
    )


def trim_text(proposal: TrimProposal) -> str:
    """The proposal for people: a head line, the diff in a code block, and the notes."""
    head = texts.TRIM_HEAD.format(name=proposal.principal.name, account=proposal.account, days=proposal.days)
    parts = [head, "```\n" + proposal.diff() + "\n```"]
    parts += list(proposal.notes)
    return "\n".join(parts)


def trim_nothing(report: UsageReport) -> Outcome:
    text = texts.TRIM_NOTHING.format(name=report.principal.name, days=report.days)
    return Outcome(replies=(Reply(text=text),), status="done")



def grant_summary_text(report: UsageReport, granted: dict[str, list[str]], since: datetime) -> str | None:
    """One paragraph: which of a grant's services (and tracked actions) were used since it became active."""
    if not granted:
        return None
    used: list[str] = []
    unused: list[str] = []
    for namespace, actions in granted.items():
        service = report.service(namespace)
        label = service.name if service else namespace
        if service is None or service.last_used is None or service.last_used < since:
            unused.append(label)
            continue
        names = {a.lower() for a in actions}
        tracked = [
            f"{namespace}:{a.name}"
            for a in service.tracked_actions or ()
            if a.last_used is not None and a.last_used >= since and (a.name.lower() in names or "*" in names)
        ]
        used.append(texts.SUMMARY_ACTIONS.format(service=label, actions=_names(tracked, 5)) if tracked else label)
    name = report.principal.name
    when = ago(since, report.now)
    if used:
        text = texts.SUMMARY_USED.format(name=name, services=_names(used, 6), since=when)
        if unused:
            text += texts.SUMMARY_NOT_USED_TAIL.format(services=_names(unused, 6))
    else:
        text = texts.SUMMARY_UNUSED.format(name=name, services=_names(unused, 6), since=when)
    return text + "." + texts.SUMMARY_LAG
