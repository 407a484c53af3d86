"""What endpoints depend on: the settings and the store, from ``app.state`` (set up in the lifespan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pipeline.settings import Settings
from pipeline.store import RecordStore


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(request: Request) -> RecordStore:
    return request.app.state.store  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[RecordStore, Depends(get_store)]
