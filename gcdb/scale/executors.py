"""Executors that run record-level work (one chunk of a file at a time) on several cores or on a Dask cluster.

:func:`gcdb.scale.read_chunks` (and everything built on it) takes ``executor=``: any
:class:`concurrent.futures.Executor`. Each chunk is then validated in a worker (``executor.submit``) while the
file is read on; results come back **in file order** and are identical to a run without an executor.

* :func:`thread_executor` — threads of this process, one per core by default (at most
  :data:`MAX_DEFAULT_THREADS`): validating a chunk is mostly Arrow and numpy kernels that release the GIL, so
  threads use the cores without copying chunks between processes. What ``gcdb services`` and ``run_pipeline``
  use by default.
* :func:`local_executor` — a process pool on this machine (``spawn`` processes: safe whatever threads the parent
  runs), one worker per core by default; ``None`` for one worker (run in this process, no pool).
* :func:`dask_executor` — the workers of a ``dask.distributed`` cluster (its scheduler's address), e.g.
  ``tcp://scheduler:8786``; :func:`executor_from_env` does so when ``GCDB_DASK`` holds an address.

Close what you open: every executor here is a context manager, and :func:`managed` accepts ``None`` as well::

    from gcdb.scale import executor_from_env, local_executor, managed, read_usage_chunks

    with managed(executor_from_env() or local_executor()) as pool:
        for result in read_usage_chunks("kullanim.csv", executor=pool):
            ...

Workers of a Dask cluster need gcdb installed (the same version as the client); they receive the chunk's cells,
never the file, so the file need not be visible to them.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextvars
import dataclasses
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from gcdb.errors import UsageError
from gcdb.i18n import Message

#: Environment variable holding the address of a Dask scheduler (``tcp://host:8786``).
DASK_ENV = "GCDB_DASK"

__all__ = [
    "DASK_ENV",
    "DaskExecutor",
    "dask_executor",
    "executor_from_env",
    "executor_workers",
    "local_executor",
    "managed",
    "thread_executor",
    "usable_cores",
]

#: Default threads of :func:`thread_executor` on a machine with more cores: each thread holds one chunk in work.
MAX_DEFAULT_THREADS = 8
#: From this many rows a pass over the columns of a frame (coding dimensions, factorising the columns rules read,
#: building the audit) runs in threads; below, one after another (no pool to start).
THREADED_ROWS = 200_000

_E = TypeVar("_E", bound=cf.Executor)
_R = TypeVar("_R")


def _check_workers(workers: object) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise UsageError(Message("scale.workers", value=repr(workers)))
    return int(workers)


def threaded(rows: int) -> bool:
    """Whether work over ``rows`` rows is worth threads (:data:`THREADED_ROWS`)."""
    return rows >= THREADED_ROWS


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def thread_executor(threads: int | None = None) -> cf.ThreadPoolExecutor | None:
    """A pool of ``threads`` threads in this process (default: :func:`usable_cores`, at most
    :data:`MAX_DEFAULT_THREADS`); ``None`` when that is 1 (everything then runs in the calling thread).

    Chunks are validated and reduced in the threads while the calling thread reads the file and combines their
    results, in file order: the results are those of a run without threads. Each thread adds one chunk's working
    memory (about 150 MB for 250,000 records).
    """
    n = _check_workers(threads if threads is not None else min(usable_cores(), MAX_DEFAULT_THREADS))
    if n == 1:
        return None
    return cf.ThreadPoolExecutor(max_workers=n, thread_name_prefix="gcdb-chunk")


def thread_map(fn: Callable[[Any], _R], items: Iterable[Any], *, threads: int | None = None) -> list[_R]:
    """``[fn(x) for x in items]``, computed in a :func:`thread_executor` pool (each call in a copy of the caller's
    context, so the current language and other context variables hold in it); the results in the items' order,
    the first error raised. For independent passes over shared arrays whose numpy kernels release the GIL."""
    items = list(items)
    pool = thread_executor(threads) if len(items) > 1 else None
    if pool is None:
        return [fn(x) for x in items]
    with pool:
        futures = [pool.submit(contextvars.copy_context().run, fn, x) for x in items]
        try:
            return [f.result() for f in futures]
        finally:
            for f in futures:
                f.cancel()


class Background:
    """``fn(*args, **kwargs)`` run in a thread of its own, in a copy of the caller's context (the language), while
    the caller goes on; :meth:`result` waits for it and returns its value or raises its error there."""

    def __init__(self, fn: Callable[..., _R], *args: Any, **kwargs: Any):
        context = contextvars.copy_context()
        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = context.run(fn, *args, **kwargs)
            except BaseException as exc:  # raised again by result(), in the waiting thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="gcdb-background", daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def local_executor(workers: int | None = None) -> cf.ProcessPoolExecutor | None:
    """A pool of ``workers`` processes on this machine (default: one per core, ``os.cpu_count()``), started with
    ``spawn``; ``None`` when ``workers`` is 1 (everything then runs in the calling process).

    The workers start at once and import gcdb in the background. As with any ``spawn`` pool, a script that
    creates one must guard its entry point with ``if __name__ == "__main__":`` (each worker imports the main
    module; without the guard it would run the script again and the pool breaks).
    """
    n = _check_workers(workers if workers is not None else (os.cpu_count() or 1))
    if n == 1:
        return None
    pool = cf.ProcessPoolExecutor(
        max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_import_validation
    )
    # start the workers now: they import gcdb while the caller reads the file's first passes
    for _ in range(n):
        pool.submit(int)
    return pool


def _import_validation() -> None:
    """A new worker process imports what validating a chunk needs before its first chunk arrives."""
    import gcdb.scale.chunks  # noqa: F401


class DaskExecutor(cf.Executor):
    """The executor of a ``dask.distributed`` client that it owns: :meth:`shutdown` also closes the client.

    ``submit`` sends the task with ``pure=False`` (a chunk's cells are not hashed to name the task); positional
    arguments that hold data (a table, an array, a dataclass such as a chunk) are scattered to the cluster first.
    """

    def __init__(self, client: Any):
        self.client = client
        self._executor = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        # tables and arrays travel as data of their own (scattered), not inside the task: no "large graph"
        sent = [self.client.scatter(a, hash=False) if _is_data(a) else a for a in args]
        return self._executor.submit(fn, *sent, **kwargs)

    @property
    def workers(self) -> int:
        """Threads of the cluster's workers (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self.client.close()


def _is_data(value: object) -> bool:
    return isinstance(value, np.ndarray | pd.DataFrame | pd.Series) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    )


def dask_executor(address: str, *, timeout: str | float | None = None) -> DaskExecutor:
    """Connect to the Dask scheduler at ``address`` and return its executor (:class:`DaskExecutor`).

    ``timeout``: how long to try to connect (``"10s"``, seconds; default: Dask's ``distributed.comm.timeouts
    .connect``). Raises :class:`~gcdb.errors.UsageError` if ``distributed`` is not installed or the scheduler
    cannot be reached.
    """
    if not isinstance(address, str) or not address.strip():
        raise UsageError(Message("scale.dask_address", address=repr(address)))
    address = address.strip()
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(Message("scale.no_distributed")) from None
    options: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    try:
        client = Client(address, **options)
    except Exception as exc:  # OSError, TimeoutError, ValueError (bad address) …: all say "cannot connect"
        raise UsageError(
            Message("scale.dask_unreachable", address=address, error=f"{type(exc).__name__}: {exc}")
        ) from None
    return DaskExecutor(client)


def executor_from_env(
    environ: Mapping[str, str] | None = None, *, timeout: str | float | None = None
) -> DaskExecutor | None:
    """:func:`dask_executor` for the address in ``GCDB_DASK``; ``None`` when it is unset or empty."""
    address = (os.environ if environ is None else environ).get(DASK_ENV, "").strip()
    return dask_executor(address, timeout=timeout) if address else None


def executor_workers(executor: cf.Executor) -> int:
    """How many tasks ``executor`` runs at once (a process or thread pool's workers, a Dask cluster's threads;
    the machine's cores for an executor of unknown kind)."""
    workers = getattr(executor, "workers", None)
    if isinstance(workers, int) and workers >= 1:
        return workers
    pool = getattr(executor, "_max_workers", None)  # ProcessPoolExecutor, ThreadPoolExecutor
    if isinstance(pool, int) and pool >= 1:
        return pool
    client = getattr(executor, "_client", None)  # distributed's ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # a closed client: fall back to the cores
            pass
    return os.cpu_count() or 1


@contextmanager
def managed(executor: _E | None) -> Iterator[_E | None]:
    """``with managed(executor) as pool:`` — ``executor`` (or ``None``) inside the block, shut down after it
    (a :class:`DaskExecutor` closes its client too)."""
    try:
        yield executor
    finally:
        if executor is not None:
            executor.shutdown(wait=True)
