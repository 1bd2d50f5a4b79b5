"""The composition root every service uses: ``build_service_app(spec, settings)`` builds one process
with FastAPI for HTTP (security headers on every response and ``/docs`` served offline, see
:mod:`kmb_shared.web.headers`) and FastStream for Kafka, its own database, the outbox relay, the inbox
consumer and the job pruning sent outbox rows and old inbox rows, sharing one lifespan. The runtime is in
:mod:`kmb_shared.runtime`, the operations routes in :mod:`kmb_shared.ops`; their names are re-exported
here for the services.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiokafka.errors import KafkaError
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from kmb_shared.auth import Signer, load_secret
from kmb_shared.errors import install_error_handlers
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.retention import run_retention
from kmb_shared.messaging.security import connection_problem, credentials_problem
from kmb_shared.metrics import install_metrics
from kmb_shared.openapi import install_openapi
from kmb_shared.ops import asyncapi_document, operations_router
from kmb_shared.runtime import (
    ReadModel,
    Runtime,
    RuntimeDep,
    ServiceSpec,
    SessionDep,
    build_runtime,
    get_runtime,
    get_session,
)
from kmb_shared.settings import ServiceSettings
from kmb_shared.web.error_pages import favicon_router
from kmb_shared.web.guard import SignInUnavailable, on_sign_in_unavailable
from kmb_shared.web.headers import install_api_docs, install_security_headers
from kmb_shared.web.pages import service_urls

__all__ = [
    "ReadModel",
    "Runtime",
    "RuntimeDep",
    "ServiceSpec",
    "SessionDep",
    "asyncapi_document",
    "build_runtime",
    "build_service_app",
    "get_runtime",
    "get_session",
]


log = logging.getLogger(__name__)

#: the longest wait between two tries to reach a broker that is away at start
CONNECT_MAX_BACKOFF_S = 30.0


def _unreachable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says the broker or the network is away."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, KafkaError | OSError | TimeoutError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class KafkaRefused(KafkaError):
    """The brokers refuse this service's credentials (``reason`` says why, in Czech)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def _check_credentials(runtime: Runtime) -> None:
    """Before the consumer and producers start: KafkaRefused if the brokers refuse who we are (one
    direct connection), so a refused try leaves no half-started client behind and aiokafka no error
    line of its own; nothing when they accept us or do not answer (then the start says so)."""
    settings = runtime.settings
    if missing := settings.missing():
        raise KafkaRefused(missing)
    if settings.uses_sasl or settings.uses_ssl:
        servers = bootstrap_servers(settings.kafka_bootstrap)
        if why := await credentials_problem(servers, settings):
            raise KafkaRefused(why)


def _refusal(runtime: Runtime, exc: BaseException) -> str | None:
    """Why the brokers refuse this service (one Czech line naming its principal), or None if they are
    only away."""
    if isinstance(exc, KafkaRefused):
        return exc.reason
    return connection_problem(runtime.settings.kafka_bootstrap, runtime.settings, exc)


async def _connect(spec: ServiceSpec, runtime: Runtime, attempts: int | None = None) -> bool:
    """Run the startup hooks and start the broker's consumer and producer; on failure try again,
    waiting 1 s, then twice as long each time up to :data:`CONNECT_MAX_BACKOFF_S`, ``attempts`` times
    (``None``: until it works). True once connected. A broker that is away gets a log line per try; a
    refusal (wrong or missing credentials, an untrusted certificate) gets one ERROR line when it begins
    or its reason changes, not one per try: the service keeps running, /readyz says why."""
    delay, tried = 1.0, 0
    while attempts is None or tried < attempts:
        tried += 1
        runtime.kafka_connect_attempts += 1
        try:
            await _check_credentials(runtime)  # retried and reported, never a crash loop
            for hook in spec.on_startup:
                await hook(runtime)
            await runtime.broker.start()
            runtime.kafka_refusal = None
            if tried > 1 or attempts is None:
                log.warning("%s: Kafka at %s answers; consuming", spec.name, runtime.settings.kafka_bootstrap)
            return True
        except Exception as exc:
            if not _unreachable(exc):
                raise  # not the broker being away: a real error, let the start fail loudly
            with contextlib.suppress(Exception):
                await runtime.broker.stop()
            known, runtime.kafka_refusal = runtime.kafka_refusal, _refusal(runtime, exc)
            if runtime.kafka_refusal and runtime.kafka_refusal != known:
                log.error(
                    "%s: %s; služba běží dál (/readyz: nepřipraveno) a zkouší to znovu s prodlevou až %.0f s",
                    spec.name,
                    runtime.kafka_refusal,
                    CONNECT_MAX_BACKOFF_S,
                )
            elif runtime.kafka_refusal:
                log.debug("%s: still refused, next try in %.0f s", spec.name, delay)
            else:
                log.warning(
                    "%s: Kafka at %s does not answer (%s); next try in %.0f s",
                    spec.name,
                    runtime.settings.kafka_bootstrap,
                    type(exc).__name__,
                    delay,
                )
            if attempts is not None and tried >= attempts:
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, CONNECT_MAX_BACKOFF_S)
    return False


def build_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    """One service process: HTTP routes, Kafka consumer and outbox relay, sharing one lifespan."""
    runtime = build_runtime(spec, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await runtime.db.migrate(spec.migrations)
        tasks = []
        if not await _connect(spec, runtime, attempts=1):
            # The broker is away: serve HTTP meanwhile (/readyz says Kafka is unreachable) and keep
            # trying; the consumer and the startup hooks begin once it answers.
            tasks.append(asyncio.create_task(_connect(spec, runtime), name=f"{spec.name}-kafka-connect"))
        tasks.append(asyncio.create_task(runtime.relay.run(), name=f"{spec.name}-outbox-relay"))
        tasks.append(
            asyncio.create_task(
                run_retention(
                    runtime.db,
                    outbox_days=settings.outbox_retention_days,
                    inbox_days=settings.inbox_retention_days,
                    interval_s=settings.retention_interval_s,
                    service=spec.name,
                ),
                name=f"{spec.name}-messaging-retention",
            )
        )
        tasks += [
            asyncio.create_task(job(runtime), name=f"{spec.name}-{job.__name__}") for job in spec.background
        ]
        try:
            yield
        finally:
            runtime.relay.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # A last round for what was just committed; bounded, as a lost broker would hold it for
            # the producer's request timeout (what stays unsent goes at the next start).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(runtime.relay.publish_pending(), timeout=5.0)
            await runtime.close()

    # /docs from the package's own files (web/headers.py), not FastAPI's CDN page with an inline script.
    app = FastAPI(
        title=f"KMB – {spec.title}",
        description=spec.description,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.signer = Signer(load_secret(settings.var_dir, settings.secret_key), settings.session_max_age_s)
    install_error_handlers(app, spec.localizer)
    app.add_exception_handler(SignInUnavailable, on_sign_in_unavailable)  # pages, when intake is down
    app.include_router(operations_router(spec))
    app.include_router(favicon_router())  # /favicon.ico: the KMB house on every service
    install_metrics(app, spec.name, runtime)  # /metrics, open like /healthz: no personal data
    for router in spec.routers:
        app.include_router(router)
    install_openapi(app)
    install_api_docs(app)
    install_security_headers(app, form_targets=service_urls().values())
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=runtime.tracer_provider, excluded_urls="healthz,readyz,metrics"
    )
    return app
