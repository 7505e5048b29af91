"""Resources named in a request (names or ARNs) as typed targets the writer can build ARNs from."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.domain import catalog
from bot.domain.arns import fill_arn_format, has_wildcard, placeholders
from bot.domain.service_rules import DEFAULT_TYPES, RELATED_TYPES, SECRET_SUFFIX, rule_for
from bot.errors import InvalidInput

_CONTEXT = ("Partition", "Region", "Account")
# Resource names as people type them; ARNs take the other path. ':' is refused in names.
_REVISION = re.compile(r"^[A-Za-z0-9._\-]+:\d+$")
_NAME = re.compile(r"^[A-Za-z0-9._\-/*?@+=,~]{1,512}(?::\d+)?$")
_FREE = frozenset({"ObjectName", "StreamLabel"})
_GENERATED = re.compile(r"(Id|ID|UUID|Uuid|Arn|Revision|RevisionNumber|Version|VersionId|Hash|Timestamp|Label)$")
_ID_LIKE = re.compile(r"^(?=.*\d)[A-Za-z0-9]{0,6}-?[0-9A-Fa-f-]{6,}$|^[0-9a-f]{8}-[0-9a-f]{4}-")
_ALIAS = re.compile(r"^alias/[A-Za-z0-9/_\-]{1,250}$")
_SLASHED = frozenset({"ObjectName", "SecretId", "ParameterNameWithoutLeadingSlash", "LogGroupName", "RepositoryName"})


@dataclass(frozen=True)
class Placement:
    """Where ARNs go: partition, region (or '*') and account (or '*')."""

    partition: str
    region: str
    account: str


@dataclass(frozen=True)
class Target:
    """One named resource: its service, its type, the placeholder values known, and a display label."""

    service: str
    type_name: str  # lower-case resource type name, e.g. "object"
    label: str
    values: dict[str, str] = field(hash=False)
    arn: str  # its own ARN
    # A condition that names it when its ARN can't: a KMS key by alias (kms:ResourceAliases).
    condition: tuple[str, str, str] | None = None

    def types(self) -> tuple[str, ...]:
        """Its own type and the types whose ARNs it implies (a bucket's objects, a Glue table's database)."""
        return (self.type_name, *RELATED_TYPES.get((self.service, self.type_name), ()))

    def arn_for(self, type_name: str) -> str | None:
        """The ARN of `type_name` derived from this target, e.g. bucket X -> `arn:aws:s3:::X/*` for objects."""
        type_name = type_name.lower()
        if type_name == self.type_name:
            return self.arn
        if type_name not in self.types():
            return None
        resource_type = catalog.resource_type(self.service, type_name)
        if resource_type is None:
            return None
        return fill_arn_format(resource_type.arn_formats[0], self.values)


def suggest(word: str, choices: list[str]) -> str:
    """' Did you mean X?' (with the leading space) or ''."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.5)
    return f" Did you mean {by_lower[close[0]]}?" if close else ""


def _type_names(service: str) -> list[str]:
    return [t.name for t in catalog.resource_types_of(service)]


def requested_type(service: str, resource_type: str | None) -> str | None:
    """The grant's resource_type, checked against the catalogue (lower-case), or None when not given."""
    if resource_type is None:
        return None
    found = catalog.resource_type(service, resource_type)
    if found is None:
        names = _type_names(service)
        raise InvalidInput(
            f"{service} has no resource type '{resource_type[:64]}'.{suggest(resource_type, names)}"
            f" Use one of: {', '.join(names[:12])}{', ...' if len(names) > 12 else ''}."
        )
    return found.name.lower()


@lru_cache(maxsize=1024)
def _capture(arn_format: str) -> re.Pattern[str]:
    body, position, seen = "", 0, set()
    for found in re.finditer(r"\$\{([^}]*)\}", arn_format):
        body += re.escape(arn_format[position : found.start()]).replace(r"\*", ".*")
        name = found.group(1)
        group = re.sub(r"\W", "_", name)
        chars = ".+" if name in _FREE else "[^:]+" if name in _SLASHED or name.endswith("Path") else "[^:/]+"
        body += f"(?P<{group}>{chars})" if group not in seen else chars
        seen.add(group)
        position = found.end()
    body += re.escape(arn_format[position:]).replace(r"\*", ".*")
    return re.compile(f"^{body}$")


def values_from_arn(arn: str, resource_type: catalog.ResourceType) -> dict[str, str]:
    found = _capture(resource_type.arn_formats[0]).match(arn)
    if found is None:
        parsed = catalog.parse_arn(arn)
        if parsed is None:
            return {}
        return {"Partition": parsed.partition, "Region": parsed.region or "*", "Account": parsed.account or "*"}
    names = {re.sub(r"\W", "_", n): n for n in placeholders(resource_type.arn_formats[0])}
    return {names[key]: value for key, value in found.groupdict().items() if value is not None}


def _name_values(service: str, resource_type: catalog.ResourceType, name: str) -> dict[str, str]:
    name_parts = [p for p in placeholders(resource_type.arn_formats[0]) if p not in _CONTEXT]
    if not name_parts:
        return {}
    if service == "glue" and "/" not in name and "." in name and len(name_parts) > 1:
        name = name.replace(".", "/", 1)  # "sales.orders" is how people write a Glue table
    if name.startswith("/") and f"/${{{name_parts[0]}}}" in resource_type.arn_formats[0]:
        name = name.lstrip("/")  # "/app/payments/" under "parameter/${...}": the ARN has the slash already
    pieces = name.split("/", len(name_parts) - 1)
    if 1 == len(pieces) < len(name_parts) and any(_GENERATED.search(p) for p in name_parts):
        # One name, several placeholders: it goes to the one people choose (GroupFriendlyName), not to an
        # id AWS generates (GroupId), unless it looks like an id itself; the rest stay "*".
        chosen = [p for p in name_parts if bool(_GENERATED.search(p)) == bool(_ID_LIKE.match(name))]
        last = (chosen or name_parts)[0 if _ID_LIKE.match(name) else -1]
        values = {last: name}
        return _finish_values(values, last, resource_type)
    if 1 == len(pieces) < len(name_parts) and service != "s3":  # an S3 name is the bucket's
        # One name for a type named by several (schedule/${GroupName}/${ScheduleName}): it is the type's
        # own name, the placeholder that says the type; the others stay "*".
        own = set(resource_type.name.lower().replace("_", "-").split("-"))
        last = next((p for p in name_parts if _words(p) & own), name_parts[-1])
        return _finish_values({last: name}, last, resource_type)
    values = dict(zip(name_parts, pieces, strict=False))
    last = name_parts[len(pieces) - 1]
    return _finish_values(values, last, resource_type)


def _words(placeholder: str) -> set[str]:
    """'ScheduleName' -> {'schedule'}: the words of a placeholder, less 'name' and 'id'."""
    return {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", placeholder)} - {"name", "id"}


def _finish_values(values: dict[str, str], last: str, resource_type: catalog.ResourceType) -> dict[str, str]:
    if values[last].endswith("/") and (last == "ObjectName" or last in _SLASHED or "Name" in last):
        values[last] += "*"  # "bucket/reports/", "/app/payments/": everything under the prefix
    if last == "SecretId" and not has_wildcard(values[last]):
        values[last] += SECRET_SUFFIX
    return values


def _with_revision(service: str, resource_type: catalog.ResourceType) -> catalog.ResourceType:
    """Batch's job-definition/${Name} has a sibling type job-definition/${Name}:${Revision}: 'train:3' is that."""
    base = resource_type.arn_formats[0]
    for other in catalog.resource_types_of(service):
        fmt = other.arn_formats[0] if other.arn_formats else ""
        if fmt.startswith(base + ":${") and fmt.count("${") == base.count("${") + 1:
            return other
    return resource_type


def _check_name(service: str, name: str) -> None:
    if not _NAME.match(name):
        raise InvalidInput(
            f"'{name[:64]}' is not a {service} resource name: use letters, digits and . _ - / (or paste the ARN)."
        )
    if not name.strip("*?/"):
        raise InvalidInput(
            f"'{name}' would be every {service} resource: name the resources, or scope the request by tags."
        )


def _default_type(service: str, asked: str | None, name: str) -> str:
    if asked is not None:
        return asked
    if service in DEFAULT_TYPES:
        return DEFAULT_TYPES[service]
    names = _type_names(service)
    if len(names) == 1:
        return names[0].lower()
    raise InvalidInput(
        f"Say which kind of {service} resource '{name[:64]}' is (resource type: "
        f"{', '.join(names[:8])}{', ...' if len(names) > 8 else ''}), or paste its ARN."
    )


def _kms_alias(name: str, place: Placement) -> Target:
    """A KMS key named by its alias: IAM authorizes key ARNs, so the key is matched by kms:ResourceAliases.

    An alias ARN in Resource would grant nothing for Decrypt/Encrypt.
    https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
    """
    alias = name if name.startswith("alias/") else f"alias/{name}"
    if not _ALIAS.match(alias):
        raise InvalidInput(f"'{name[:64]}' is not a KMS alias name (alias/ then letters, digits, / _ -).")
    values = {"Partition": place.partition, "Region": place.region, "Account": place.account, "KeyId": "*"}
    key = catalog.resource_type("kms", "key")
    assert key is not None
    arn = fill_arn_format(key.arn_formats[0], values)
    return Target("kms", "key", alias, values, arn, ("ForAnyValue:StringEquals", "kms:ResourceAliases", alias))


def _from_name(service: str, name: str, asked: str | None, place: Placement) -> Target:
    if service == "kms" and (name.startswith("alias/") or asked == "alias"):
        return _kms_alias(name, place)
    type_name = _default_type(service, asked, name)
    resource_type = catalog.resource_type(service, type_name)
    assert resource_type is not None  # requested_type() and DEFAULT_TYPES only name catalogue types
    if _REVISION.match(name):
        resource_type = _with_revision(service, resource_type)
        if "}:${" in resource_type.arn_formats[0].split(":", 5)[-1]:
            name = name.replace(":", "/")  # "migrate:12": task-definition/${Family}:${Revision}, as ECS writes it
    _check_name(service, name)
    # AWS's own SSM documents (AWS-RunShellScript) live in no account: arn:aws:ssm:REGION::document/NAME
    owned = (service, type_name) in catalog.AWS_OWNED_TYPES and name.startswith("AWS-")
    values = {"Partition": place.partition, "Region": place.region, "Account": "" if owned else place.account}
    values.update(_name_values(service, resource_type, name))
    arn = fill_arn_format(resource_type.arn_formats[0], values)
    if not resource_type.matches(arn):  # (an empty account matches AWS's own types: catalog.AWS_OWNED_TYPES)
        raise InvalidInput(f"'{name[:64]}' is not a valid {service} {resource_type.name} name.")
    return Target(service, type_name, name, values, arn)


def _from_arn(service: str, arn: str, asked: str | None) -> Target:
    parsed = catalog.parse_arn(arn)
    if parsed is None:
        raise InvalidInput(f"'{arn[:80]}' is not a valid ARN (arn:partition:service:region:account:resource).")
    if parsed.service == "kms" and parsed.resource.startswith("alias/") and service == "kms":
        place = Placement(parsed.partition, parsed.region or "*", parsed.account or "*")
        return _kms_alias(parsed.resource, place)
    # A service may act on another's resources: sts:AssumeRole on an IAM role (its resource type says so).
    foreign = {t.name.lower(): t for t in catalog.resource_types_of(service) if t.matches(arn)}
    if parsed.service != service and not foreign:
        raise InvalidInput(
            f"'{arn[:80]}' is an ARN of {parsed.service}, not {service}: move it to a {parsed.service} grant."
        )
    matched = foreign or {t.name.lower(): t for t in catalog.match_arn_to_resource_types(arn)}
    if not matched:
        names = _type_names(service)
        raise InvalidInput(
            f"'{arn[:80]}' matches no {service} resource type ({', '.join(names[:8])}"
            f"{', ...' if len(names) > 8 else ''}): check the ARN."
        )
    wanted = asked or DEFAULT_TYPES.get(service)
    if wanted in matched:
        resource_type = matched[wanted]
    else:
        own = next(iter(sorted(matched)))
        resource_type = matched[own]
        related = RELATED_TYPES.get((service, own), ())
        if wanted is not None and wanted in related and (asked is not None or rule_for(service, own) is None):
            # A bucket ARN in "read objects" (or with no type given): its objects are meant.
            values = values_from_arn(arn, resource_type)
            wanted_type = catalog.resource_type(service, wanted)
            assert wanted_type is not None
            built = fill_arn_format(wanted_type.arn_formats[0], values)
            return Target(service, wanted, _label(values, parsed.resource), values, built)
        if asked is not None:
            raise InvalidInput(f"'{arn[:80]}' is not an ARN of a {service} {asked}: it names a {resource_type.name}.")
    values = values_from_arn(arn, resource_type)
    return Target(service, resource_type.name.lower(), _label(values, parsed.resource), values, arn)


def _label(values: dict[str, str], fallback: str) -> str:
    named = [v for k, v in values.items() if k not in _CONTEXT and v != "*"]
    return "/".join(named) or fallback


def resolve_targets(service: str, resources: tuple[str, ...], asked: str | None, place: Placement) -> list[Target]:
    """Each resource of a grant as a Target; raises InvalidInput with what to change."""
    targets: list[Target] = []
    for resource in resources:
        if resource.startswith("arn:"):
            targets.append(_from_arn(service, resource, asked))
            continue
        targets.append(_from_name(service, resource, asked, place))
        if service == "ssm" and resource.endswith("/") and resource.strip("/"):
            # GetParametersByPath is authorized on the path itself: parameter/app/payments, not .../*
            # https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
            targets.append(_from_name(service, resource.rstrip("/"), asked, place))
    return targets
