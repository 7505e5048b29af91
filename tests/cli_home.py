"""A fresh HOME with no AWS configuration, as a new user's first `accessbot` command sees it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def fresh_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """HOME is `home`; no AWS_* variables, no XDG state or ACCESSBOT_URL/STATE_DIR; settings read afresh."""
    from bot.settings import get_settings

    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith("AWS_") or name in {"XDG_STATE_HOME", "ACCESSBOT_STATE_DIR", "ACCESSBOT_URL"}:
            monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return home
