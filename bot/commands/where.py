"""Where a CLI command's work happens: in this process against real AWS, or in the local bot (embedded world).

`--aws auto` (the default) picks real AWS when the environment has credentials (the variables and
shared files boto3 reads), else the local bot; `--url` always means the local bot at that address.
Instance-profile-only hosts have nothing to see here: they say `--aws real`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, Literal

from bot.errors import InvalidInput

Where = Literal["real", "local"]

# https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)
_CREDENTIAL_KEYS = frozenset({
    "aws_access_key_id", "role_arn", "credential_process", "credential_source", "web_identity_token_file",
    "sso_start_url", "sso_session",
})
TEXTS = {
    "url_or_real": "--url talks to a local bot; it does not go with --aws real",
    "help_url": "the local bot (`accessbot serve`) to talk to; default: the one running, or one started in the "
    "background",
    "help_aws": "'real': this process with your AWS credentials; 'embedded': the local bot; 'auto' (default): "
    "real when AWS credentials are configured",
}


def add_arguments(parser: Any) -> None:
    parser.add_argument("--url", default=None, metavar="URL", help=TEXTS["help_url"])
    parser.add_argument("--aws", choices=("auto", "embedded", "real"), default="auto", help=TEXTS["help_aws"])


def aws_configured(environ: Any = None) -> bool:
    """Credentials in the environment or in the shared config files (without asking any endpoint)."""
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in _CREDENTIAL_VARIABLES):
        return True
    home = Path(env.get("HOME") or Path.home())
    files = (
        Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials"),
        Path(env.get("AWS_CONFIG_FILE") or home / ".aws" / "config"),
    )
    return any(_has_credentials(path) for path in files)


def _has_credentials(path: Path) -> bool:
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read(path)
    except (OSError, configparser.Error):
        return False
    return any(key in _CREDENTIAL_KEYS for section in parser.sections() for key in parser.options(section))


def choose(args: argparse.Namespace) -> Where:
    url = getattr(args, "url", None) or os.environ.get("ACCESSBOT_URL")
    aws = getattr(args, "aws", "auto")
    if getattr(args, "url", None) and aws == "real":
        raise InvalidInput(TEXTS["url_or_real"])
    if aws == "real":
        return "real"
    if aws == "embedded" or url:
        return "local"
    return "real" if aws_configured() else "local"
