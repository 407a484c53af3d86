"""What endpoints depend on: the settings and the store, from ``app.state`` (set up in the lifespan).

Async on purpose: FastAPI runs plain ``def`` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pipeline.settings import Settings
from pipeline.store import RecordStore


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_store(request: Request) -> RecordStore:
    return request.app.state.store  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[RecordStore, Depends(get_store)]
