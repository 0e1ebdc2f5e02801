"""Limits of the big runs: skip a stage whose estimated peak memory would not fit, and run the slow external
baselines (fairlearn, DuckDB with one thread) only up to a size."""

from __future__ import annotations

#: Peak RSS above the imports per byte of input columns, measured at 1M rows (README, "net ratio", rounded up),
#: to estimate a stage's peak before running it.
PEAK_PER_INPUT_BYTE = {"read_csv": 9.0, "read_parquet": 5.0, "validate": 5.4}
#: RSS of a fresh process after the imports.
BASE_RSS = 200e6
#: Bytes of input columns per usage row of the generated data (measured: 218–254 bytes).
BYTES_PER_USAGE_ROW = 260
#: Run a stage only if its estimated peak is below this share of the memory available now (the machine is shared).
MEMORY_SHARE = 0.7


def memory_guard(stage: str, rows: int) -> str | None:
    """Why ``stage`` on ``rows`` usage rows should be skipped (its estimated peak would not fit), or None."""
    import psutil

    factor = PEAK_PER_INPUT_BYTE.get(stage)
    if factor is None:
        return None
    estimate = BASE_RSS + factor * BYTES_PER_USAGE_ROW * rows
    available = psutil.virtual_memory().available
    if estimate > MEMORY_SHARE * available:
        return (
            f"{stage} at {rows:,} rows skipped: estimated peak {estimate / 1e9:.1f} GB "
            f"({factor}× the input columns) > {MEMORY_SHARE:.0%} of the {available / 1e9:.1f} GB available"
        )
    return None


#: Above this many rows the slow external baselines are not run (fairlearn ≈ 30 µs a row: 5 min at 10M) or run once.
EXTERNAL_FULL_MAX_ROWS = 2_000_000
