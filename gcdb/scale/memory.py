"""Give memory that was freed back to the operating system.

Freed memory stays with the allocators that served it: Arrow's memory pool (mimalloc or jemalloc) and the C
library's heap keep it for reuse, so a process that read a large file chunk by chunk holds on to the memory of
chunks long gone (on 2 M records: 1.0 GB resident, 0.3 GB after :func:`release_memory`). The out-of-core path
calls this between chunks and between stages, so what stays resident is what is still in use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

__all__ = ["release_memory"]


@functools.cache
def _malloc_trim():  # the C library's, where it has one (glibc); None elsewhere
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Return the unused memory of Arrow's pool and of the C heap to the operating system (no effect on
    results; a few milliseconds)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
