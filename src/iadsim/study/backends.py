"""Where batches run: this process, local worker processes, or a Ray cluster.

Every backend runs the same function (``worker.run_batch``) on the same batches and hands
the rows back to the driver, which alone writes the part files; so the rows do not depend
on the backend or the worker count. At most a few batches per worker are in flight, so
the driver's memory does not grow with the number of replications.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from urllib.parse import urlsplit

from iadsim.errors import IadsimError, UsageError
from iadsim.study.errors import StudyError
from iadsim.study.plan import Batch, StudySpec
from iadsim.study.worker import init_process, run_batch, run_batch_in_process

IN_FLIGHT_PER_WORKER = 2
# A Ray task whose worker process dies (killed, out of memory, its node lost) runs again up
# to this many times; its rows reach the driver once, from the attempt that finished. Errors
# the batch itself raises (a bad scenario) are not retried: they would fail again.
RAY_TASK_RETRIES = 2
# Fault injection for the tests (tests/study/test_ray.py): a folder; a worker that finishes
# batch B while a file ``kill-B-*`` is in it takes that file and dies before returning.
KILL_WORKER_DIR_ENV = "IADSIM_TEST_KILL_WORKER_DIR"


class InlineBackend:
    """Run batches one after the other in this process (``--workers 1``)."""

    name = "inline"

    def __enter__(self) -> InlineBackend:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def imap(self, spec: StudySpec, batches: Iterator[Batch]) -> Iterator[tuple[Batch, dict]]:
        for batch in batches:
            yield batch, run_batch(spec, batch)


class LocalBackend:
    """A pool of ``workers`` spawned processes (each builds a variant's World once)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if exc_type is None:
            pool.shutdown(wait=True)
            return
        # Interrupted or failed: stop the workers now rather than after their batch.
        terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
        if terminate is not None:
            terminate()
        else:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    def imap(self, spec: StudySpec, batches: Iterator[Batch]) -> Iterator[tuple[Batch, dict]]:
        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_process, initargs=(spec,),
        )  # fmt: skip
        limit = IN_FLIGHT_PER_WORKER * self.workers
        pending: dict = {}
        it = iter(batches)

        def fill() -> None:
            _top_up(pending, it, limit, lambda b: self._pool.submit(run_batch_in_process, b))

        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f].batch_id):
                batch = pending.pop(future)
                try:
                    cols = future.result()
                except BrokenProcessPool:
                    raise StudyError(
                        "a worker process died (out of memory, or killed); the finished "
                        "batches are kept: rerun with --resume"
                    ) from None
                yield batch, cols
            fill()


class RayBackend:
    """Ray tasks over batches: ``ray.init(address=...)`` or a local Ray with ``workers`` CPUs."""

    name = "ray"

    def __init__(self, workers: int, address: str | None, connect_timeout_s: float) -> None:
        self.workers = workers
        self.address = address
        self.connect_timeout_s = connect_timeout_s
        self._started = False
        self._pending: dict = {}
        self._ray = None

    def __enter__(self) -> RayBackend:
        if self.address:  # first, and without Ray: a wrong address fails in seconds
            check_reachable(self.address, self.connect_timeout_s)
        try:
            import ray
        except ImportError:
            raise UsageError(
                "--backend ray: Ray is not installed; pip install 'iadsim[ray]'"
            ) from None
        self._ray = ray
        if ray.is_initialized():  # the caller's own Ray session (a notebook, a test)
            return self
        try:
            if self.address:
                _init_within(ray, self.address, self.connect_timeout_s)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False,
                         logging_level=logging.ERROR)  # fmt: skip
        except UsageError:
            raise
        except Exception as exc:  # Ray raises many kinds; say it in one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            where = f"--address {self.address}" if self.address else "--backend ray"
            raise UsageError(f"{where}: cannot start Ray: {first}") from None
        self._started = True
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        ray = self._ray
        if ray is None:
            return
        if exc_type is not None:
            for ref in list(self._pending):
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # best effort while stopping
                    pass
        self._pending.clear()
        if self._started:
            ray.shutdown()
            self._started = False

    def imap(self, spec: StudySpec, batches: Iterator[Batch]) -> Iterator[tuple[Batch, dict]]:
        ray = self._ray
        remote = ray.remote(num_cpus=1, max_retries=RAY_TASK_RETRIES)(run_batch_on_ray)
        spec_ref = ray.put(spec)
        cpus = int(ray.cluster_resources().get("CPU", self.workers)) or 1
        limit = IN_FLIGHT_PER_WORKER * cpus
        pending = self._pending
        it = iter(batches)

        def fill() -> None:
            _top_up(pending, it, limit, lambda b: remote.remote(spec_ref, b))

        fill()
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                batch = pending.pop(ref)
                try:
                    cols = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    cause = getattr(exc, "cause", None)
                    if isinstance(cause, IadsimError):
                        raise cause from None
                    raise
                except ray.exceptions.RayError as exc:
                    raise StudyError(
                        f"Ray failed on batch {batch.batch_id} ({type(exc).__name__}, after "
                        f"{RAY_TASK_RETRIES} retries); the finished batches are kept: rerun "
                        "with --resume"
                    ) from None
                yield batch, cols
            fill()


def run_batch_on_ray(spec: StudySpec, batch: Batch) -> dict:
    """The Ray task: ``run_batch``, with the tests' worker-kill hook after the work."""
    cols = run_batch(spec, batch)
    _die_if_told(batch)
    return cols


def _die_if_told(batch: Batch) -> None:
    """Kill this worker process when the test hook holds a death for this batch (see
    KILL_WORKER_DIR_ENV): the rows are computed but never handed back, as when a node is
    lost. Renaming the file claims it, so each file kills exactly one attempt."""
    folder = os.environ.get(KILL_WORKER_DIR_ENV)
    if not folder or not os.path.isdir(folder):
        return
    for name in sorted(os.listdir(folder)):
        if not name.startswith(f"kill-{batch.batch_id}-"):
            continue
        try:
            os.rename(
                os.path.join(folder, name), os.path.join(folder, f"died-{os.getpid()}-{name}")
            )
        except OSError:  # another attempt claimed it first
            continue
        os._exit(1)


def _init_within(ray, address: str, timeout_s: float) -> None:
    """``ray.init(address)``, given up after ``timeout_s`` (Ray's own retries take ~30 s).

    The connection runs in a daemon thread; if it has not finished in time the study stops
    with one line (the thread is abandoned and ends with the process).
    """
    outcome: dict = {}

    def connect() -> None:
        try:
            ray.init(address=address, logging_level=logging.ERROR)
            outcome["ok"] = True
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=connect, name="iadsim-ray-init", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise UsageError(
            f"--address: got {address!r}; Ray did not connect within {timeout_s:g} s "
            "(raise --connect-timeout for a slow cluster)"
        )
    if "error" in outcome:
        raise outcome["error"]


def check_reachable(address: str, timeout_s: float) -> None:
    """Fail fast (one line) when a Ray address does not accept TCP connections.

    ``ray.init`` itself retries for half a minute or more; this only opens and closes a
    socket. ``auto`` and ``local`` are left to Ray.
    """
    if address in ("auto", "local"):
        return
    parts = urlsplit(address if "://" in address else f"gcs://{address}")
    default_port = 10001 if parts.scheme == "ray" else 6379
    try:
        host, port = parts.hostname, parts.port or default_port
    except ValueError:
        host, port = None, None
    if not host:
        raise UsageError(
            f"--address: got {address!r}; give ray://HOST:PORT (Ray Client) or HOST:PORT"
        )
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise UsageError(
            f"--address: got {address!r}; cannot reach {host}:{port} ({reason} within "
            f"{timeout_s:g} s)"
        ) from None
    # Both the Ray Client server and the GCS speak gRPC: a proxy or another service that
    # accepts the TCP connection still fails here, instead of after Ray's own retries.
    if os.environ.get("RAY_USE_TLS", "0").lower() in ("1", "true"):
        return
    try:
        import grpc
    except ImportError:
        return
    channel = grpc.insecure_channel(f"{host}:{port}")
    try:
        grpc.channel_ready_future(channel).result(
            timeout=max(timeout_s - (time.monotonic() - start), 0.5)
        )
    except grpc.FutureTimeoutError:
        raise UsageError(
            f"--address: got {address!r}; cannot reach {host}:{port} (no Ray server answered "
            f"within {timeout_s:g} s)"
        ) from None
    finally:
        channel.close()


def make_backend(backend: str, workers: int, address: str | None, connect_timeout_s: float):
    if backend == "ray":
        return RayBackend(workers, address, connect_timeout_s)
    return InlineBackend() if workers == 1 else LocalBackend(workers)


def _top_up(pending: dict, batches, limit: int, submit) -> None:
    """Submit batches until ``limit`` are in flight (bounded memory) or none are left."""
    while len(pending) < limit:
        batch = next(batches, None)
        if batch is None:
            return
        pending[submit(batch)] = batch
