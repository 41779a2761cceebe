"""Run one untrusted parse in a child process with CPU, memory and wall-clock limits.

The child is started from a clean interpreter (``forkserver``, or ``spawn`` where forkserver is
unavailable), never forked from the caller, so a web worker's open sockets, threads and locks are
not copied into it. Inside the child ``RLIMIT_AS`` caps memory and ``RLIMIT_CPU`` caps CPU time;
the parent waits at most ``timeout`` seconds of wall-clock time and then kills it.
"""

from __future__ import annotations

import math
import multiprocessing
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from .errors import LimitExceeded, ParseError, ReconcileError
from .problems import problem

T = TypeVar("T")

# the child imports parsers and pdfminer before it reads a byte: leave it that much headroom
_MIN_MEMORY = 256 * 1024 * 1024


# imported once by the fork server, so each child starts with the parsers already loaded
_PRELOAD = ["reconcile.api", "reconcile.parsers.pdf"]


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def run_limited(
    func: Callable[..., T],
    *args: Any,
    timeout: float,
    memory_limit: int,
    label: str = "",
) -> T:
    """Return ``func(*args)`` computed in a child process under limits.

    ``func`` and its arguments and result must be picklable (``func`` a module-level function).

    :raises LimitExceeded: when the child runs longer than ``timeout`` seconds (wall clock or
        CPU) or needs more than ``memory_limit`` bytes.
    :raises ParseError: with the child's message when ``func`` raised a :class:`ParseError`, or
        when the child died without an answer.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    cpu_seconds = max(1, math.ceil(timeout))
    memory = max(memory_limit, _MIN_MEMORY)
    process = ctx.Process(  # type: ignore[attr-defined]
        target=_child_main, args=(sender, func, args, memory, cpu_seconds), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise LimitExceeded(problem("too_slow", seconds=_seconds(timeout)), file=label or None)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(1)
            raise _death(process.exitcode, timeout, label) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if status == "memory":
        raise LimitExceeded(
            problem("too_much_memory", megabytes=memory // (1024 * 1024)), file=label or None
        )
    if status == "limit":
        raise LimitExceeded(payload)
    raise ParseError(payload)


def _child_main(
    conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], memory: int, cpu: int
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result = ("ok", func(*args))
    except MemoryError:
        result = ("memory", "")
    except LimitExceeded as exc:
        result = ("limit", exc.text)
    except ParseError as exc:
        result = ("error", exc.text)
    except ReconcileError as exc:
        result = ("error", str(exc))
    except RecursionError:
        result = ("error", problem("nested_too_deeply"))
    except Exception as exc:  # the parent needs an answer, whatever broke inside a parser
        result = ("error", problem("parser_crashed", detail=f"{type(exc).__name__}: {exc}"))
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", ""))
    finally:
        conn.close()


def _death(exitcode: int | None, timeout: float, label: str) -> ParseError:
    if exitcode is not None and -exitcode in (signal.SIGXCPU, signal.SIGKILL):
        return LimitExceeded(problem("too_slow", seconds=_seconds(timeout)), file=label or None)
    return ParseError(problem("parser_died", code=exitcode), file=label or None)


def _seconds(value: float) -> str:
    return f"{value:g}"
