"""Core settings, read from the environment (ACCESSBOT_*) with pydantic-settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings every part of the bot shares. Fronts (Slack, web) keep their own settings classes."""

    model_config = SettingsConfigDict(env_prefix="ACCESSBOT_", extra="ignore")

    region: str = Field(default="us-east-1", description="AWS region of the bot's own resources.")
    table_name: str = Field(default="accessbot", description="The one DynamoDB table.")
    rules_file: Path | None = Field(default=None, description="Central rules YAML; None: the shipped defaults.")
    accounts_file: Path | None = Field(
        default=None, description="Account registry YAML; None: the embedded world's accounts."
    )
    stage: str = Field(default="local", description="Deployment stage; 'local' enables the dev login.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (cheap, but keeps cold start predictable)."""
    return Settings()
