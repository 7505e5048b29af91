"""Core settings, read from the environment (ACCESSBOT_*) with pydantic-settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

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
    store: Literal["dynamodb", "memory"] = Field(
        default="dynamodb", description="'memory' keeps requests in this process only (tests, demos)."
    )
    worker_function: str = Field(default="", description="The worker Lambda; empty: jobs run in this process.")
    scheduler_group: str = Field(default="", description="EventBridge Scheduler group; empty: no schedules.")
    scheduler_role_arn: str = Field(default="", description="Role EventBridge Scheduler uses to call `expiry`.")
    expiry_function_arn: str = Field(default="", description="The `expiry` Lambda that schedules invoke.")
    bedrock_model_id: str = Field(
        default="", max_length=200, description="Bedrock model (or inference profile) id; empty: no model reads."
    )
    bedrock_mode: Literal["off", "fallback", "always"] = Field(
        default="off",
        description="'fallback' asks the model when the embedded parser can't make a request; 'always' every time.",
    )
    pending_timeout_hours: float = Field(
        default=24, gt=0, le=24 * 14, description="Pending requests time out after this many hours."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (cheap, but keeps cold start predictable)."""
    return Settings()
