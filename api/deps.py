"""What routes depend on, as ``Annotated`` aliases (the full-stack-fastapi-template way).

A route says ``runner: RunnerDep`` and FastAPI hands it the app's query runner; tests
build their own app with :func:`govkg.api.app.create_app`, so nothing here is global.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from govkg.api.errors import BodyTooLarge, ReadOnly, Unauthorised
from govkg.api.linked import Links
from govkg.api.querying import QueryRunner
from govkg.graph.settings import Settings
from govkg.graph.store import Store

#: pages, reports and descriptions kept at most (a static-site run renders every resource)
CACHE_ENTRIES = 2000


@dataclass
class Services:
    """Everything the routes share, built once per app by ``create_app``."""

    settings: Settings
    store: Store
    runner: QueryRunner
    templates: Jinja2Templates
    links: Links
    docs_dir: Path
    #: bumped on every write; caches keyed by it are dropped then
    generation: int = 0
    cache: dict[Any, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: Any, make: Any) -> Any:
        """``make()`` once per store generation (pages and reports are pure functions of
        the data)."""
        full = (self.generation, key)
        with self.lock:
            if full in self.cache:
                return self.cache[full]
        value = make()
        with self.lock:
            if len(self.cache) >= CACHE_ENTRIES:  # drop the oldest half (insertion order)
                self.cache = dict(list(self.cache.items())[CACHE_ENTRIES // 2:])
            if full[0] == self.generation:  # not written meanwhile
                self.cache[full] = value
        return value

    def peek(self, key: Any) -> Any:
        """What :meth:`cached` holds for ``key`` now, else None: a coroutine can look
        without the thread hop that computing it would need."""
        with self.lock:
            return self.cache.get((self.generation, key))

    def written(self) -> None:
        """The store changed: drop caches and let the runner see the new data."""
        with self.lock:
            self.generation += 1
            self.cache = {}
        self.runner.invalidate()


# The dependencies are coroutines although they never wait: FastAPI runs a plain
# function dependency in its thread pool, a thread hop per request (and per dependency)
# that the named queries' hot path, awaited on the event loop, would otherwise pay.


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_runner(services: ServicesDep) -> QueryRunner:
    return services.runner


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_writer(request: Request, services: ServicesDep) -> None:
    """Writes need the configured token as ``Authorization: Bearer <token>``; with no
    token configured the service is read-only."""
    token = services.settings.write_token
    if token is None or not token.get_secret_value():
        raise ReadOnly("this service is read-only: no write token is configured")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.get_secret_value().encode()):
        raise Unauthorised("writing needs the service's write token as a Bearer token")


WriterDep = Annotated[None, Depends(require_writer)]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes without reading them all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the request body is larger than the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the request body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
