"""A database outage, told apart from a bug: what a request answers while Postgres is down.

When Postgres is unreachable (stopped, restarting, the network gone) or drops a connection
mid-request, nothing the request meant to write was committed: the transaction never began
or was rolled back with the connection. The caller gets a 503 `database-unavailable` with
`Retry-After` and sends the same request again (with the same Idempotency-Key), and the
operator gets one log line per request, not a traceback: the cause is outside the code.

`database_outage(error)` decides from the exception alone; `OUTAGE` hands it to
`install_problem_handlers` (libs/problems.py) with the exception classes it can apply to,
so every app that talks to Postgres (each service, the gateway) answers the same way.
"""

from __future__ import annotations

import asyncpg
import sqlalchemy.exc

from libs.problems import Problem, ServiceUnavailable, Translation

# Seconds a caller waits before trying again: about what a restarted Postgres takes to accept
# connections (the embedded one keeps its port across a restart: ops/embedded_postgres.py).
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(ServiceUnavailable):
    code = "database-unavailable"
    title = "The database is unreachable; nothing was changed"


# asyncpg's own words for "the server or the connection is gone": class 08 (connection
# exceptions, including a connection that no longer exists), a server shutting down or still
# starting (57P01-57P03) and a server at its connection limit (53300).
_DRIVER_OUTAGES: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
)

# Modules whose frames mark an OSError as the database's (a refused or reset connection to
# Postgres), not some other socket's.
_DATABASE_MODULES = ("asyncpg", "sqlalchemy")


def database_outage(error: BaseException) -> DatabaseUnavailable | None:
    """The 503 to answer if `error` (or what caused it) says Postgres is out of reach."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if _is_outage(current):
            return DatabaseUnavailable(
                "Nothing was changed. Retry after Retry-After with the same Idempotency-Key.",
                retry_after=RETRY_AFTER_SECONDS,
            )
        # SQLAlchemy keeps the driver's exception as `orig`; Python chains the rest.
        pending += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return None


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, _DRIVER_OUTAGES):
        return True
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sqlalchemy.exc.TimeoutError):
        # The pool had no connection to give within its timeout: every one is stuck on a
        # server that does not answer (or the service is overloaded; either way, retry).
        return True
    if isinstance(error, OSError):
        return _raised_in_database_code(error)
    return False


def _raised_in_database_code(error: BaseException) -> bool:
    trace = error.__traceback__
    while trace is not None:
        module = str(trace.tb_frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in _DATABASE_MODULES:
            return True
        trace = trace.tb_next
    return False


def _translate(error: Exception) -> Problem | None:
    return database_outage(error)


OUTAGE = Translation(
    kinds=(
        OSError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        sqlalchemy.exc.DBAPIError,
        sqlalchemy.exc.TimeoutError,
    ),
    problem=_translate,
)
