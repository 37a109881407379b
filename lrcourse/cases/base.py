"""The Case type shared by the assignment case modules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Case"]


def _short(value):
    if isinstance(value, np.ndarray):
        return "array(" + np.array2string(value, precision=6, threshold=8, separator=", ") + ")"
    if callable(value):
        owner = getattr(value, "__self__", None)
        if owner is not None:
            return f"{value.__name__} of {owner!r}"
        return getattr(value, "__name__", repr(value))
    if isinstance(value, float):
        return repr(value)
    return repr(value)


@dataclass(frozen=True)
class Case:
    """One call: positional and keyword arguments."""

    args: tuple
    kwargs: dict = field(default_factory=dict)

    def describe(self, name):
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"
