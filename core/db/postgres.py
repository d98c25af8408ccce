"""Piccolo's PostgreSQL engine, with transactions that always give their connection back.

Piccolo 1.38's ``PostgresTransaction`` acquires a pooled connection in ``__aenter__`` and
releases it at the end of ``__aexit__``: a cancellation during ``BEGIN`` (no ``__aexit__``
runs) or a rollback that fails on a connection a cancellation broke (``__aexit__`` stops
before the release) keeps the connection out of the pool for good, and after a pool's worth
of them every query waits forever. Here the release is in ``finally`` blocks, and a
connection whose rollback failed is terminated rather than lent again.
``tests/core/test_cancellation.py`` fails when this breaks.

Its pooled connections skip asyncpg's reset statement (``PooledConnection``).
"""

from __future__ import annotations

from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction


class PooledConnection(asyncpg.Connection):
    """A connection the pool lends again as it was given back, without asyncpg's reset
    statement (unlock advisory locks, close cursors, unlisten, reset settings): one more
    round trip after every query run outside a transaction, for state Essaim never leaves
    on a pooled connection (its settings are ``SET LOCAL``, inside transactions; the
    migration lock holds a connection of its own). An open transaction is still rolled
    back on release."""

    def get_reset_query(self) -> str:
        return ""


class ReleasingPostgresTransaction(PostgresTransaction):
    """A transaction whose connection goes back to the pool whatever interrupts it."""

    async def __aenter__(self) -> ReleasingPostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back(broken=True)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        broken = False
        try:
            if exception:
                if not self._rolled_back:
                    try:
                        await self.rollback()
                    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                        broken = True
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            broken = True
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._give_back(broken=broken)
        return exception is None

    async def _give_back(self, *, broken: bool) -> None:
        """Release the connection to the pool; terminate it first when it cannot be trusted."""
        if not self.engine.pool:
            await self.connection.close()
            return
        if broken:
            self.connection.terminate()
        await self.engine.pool.release(self.connection)


class ReleasingPostgresEngine(PostgresEngine):
    """``PostgresEngine`` whose transactions are ``ReleasingPostgresTransaction``."""

    def transaction(self, allow_nested: bool = True) -> ReleasingPostgresTransaction:
        """A transaction on a pooled connection, released on every path."""
        return ReleasingPostgresTransaction(engine=self, allow_nested=allow_nested)
