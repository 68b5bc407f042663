"""Map offsets in normalised text back to offsets in the raw text.

Normalisation copies runs of raw characters, drops some (soft hyphens, page furniture), and
replaces others (a line break becomes a space, a bullet glyph becomes "- "). We record one anchor
per copied run: ``(norm_start, raw_start)``. Inside a run the mapping is a shift; a replaced or
inserted character maps to the raw position where its run begins.

``replaced_ends`` (optional, one per anchor) says where the raw text that the characters after an
anchor's run replace ends, so that a span ending on a replaced character ("é" composed from "e"
and a combining accent, "ffi" spelled out from a ligature) covers all of its raw source.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OffsetMap:
    norm_starts: tuple[int, ...]
    raw_starts: tuple[int, ...]
    run_lengths: tuple[int, ...]  # characters copied verbatim from raw at each anchor
    norm_len: int
    raw_len: int
    replaced_ends: tuple[int, ...] = ()

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls((0,), (0,), (length,), length, length)

    def to_raw(self, pos: int) -> int:
        """Raw offset of the normalised character at ``pos`` (or of the end, for ``norm_len``)."""
        if pos >= self.norm_len:
            return self.raw_len
        i = bisect_right(self.norm_starts, pos) - 1
        if i < 0:
            return 0
        delta = pos - self.norm_starts[i]
        if delta < self.run_lengths[i]:
            return self.raw_starts[i] + delta
        return self.raw_starts[i] + self.run_lengths[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covering normalised ``[start, end)``."""
        if end <= start:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), self.raw_end(end - 1)

    def raw_end(self, pos: int) -> int:
        """Raw offset just after the source of the normalised character at ``pos``."""
        if pos >= self.norm_len:
            return self.raw_len
        i = bisect_right(self.norm_starts, pos) - 1
        if i < 0:
            return self.to_raw(pos) + 1
        delta = pos - self.norm_starts[i]
        copied_end = self.raw_starts[i] + self.run_lengths[i]
        if delta < self.run_lengths[i]:
            return self.raw_starts[i] + delta + 1
        if self.replaced_ends and self.replaced_ends[i] > copied_end:
            return self.replaced_ends[i]
        return copied_end + 1
