"""Progress output and timing of the build's stages (stderr), shared by every stage."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Timings:
    """Wall and CPU seconds per stage, in the order run; printed as progress unless ``quiet``."""

    quiet: bool = False
    stages: list[dict] = field(default_factory=list)

    @contextmanager
    def step(self, stage: str, label: str) -> Iterator[None]:
        """Time the block as ``stage``; print ``label`` before and the wall time after."""
        t0, c0 = time.perf_counter(), time.process_time()
        if not self.quiet:
            print(f"  {label} ...", end="", file=sys.stderr, flush=True)
        try:
            yield
        except BaseException:
            if not self.quiet:
                print(" failed", file=sys.stderr, flush=True)
            raise
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        self.stages.append({"stage": stage, "label": label, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)})
        if not self.quiet:
            print(f" done ({wall:.1f} s)", file=sys.stderr, flush=True)


@contextmanager
def step(label: str, quiet: bool = False) -> Iterator[None]:
    """Print ``label`` to stderr, run the block, then the time it took (for one-off CLI steps)."""
    with Timings(quiet).step(label, label):
        yield
