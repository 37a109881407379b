"""The kernel's record file, read as untrusted bytes and checked against a schema.

The kernel appends one JSON line per hidden check (:class:`lrcourse.record.Recorder`).
Anything the kernel wrote may be hostile: every line is size-capped, parsed with the
recursion depth guarded, and validated (types, sizes, nesting depth, an array's data
length equal to the product of its shape) before a :class:`~autograder.model.Record`
is built. A line that fails is dropped and counted, never raised.

Examples
--------
>>> line = '{"function": "f", "aspect": "basic", "results": [{"kind": "array", "shape": [2], "data": [1, 2]}], "mutated": [false]}'
>>> parse_line(line).results[0]["shape"]
[2]
>>> parse_line('{"function": ["f"], "aspect": "basic", "results": [], "mutated": []}') is None
True
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .model import Record

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_CASES = 256
MAX_DEPTH = 4
MAX_ITEMS = 16
MAX_DIMS = 8
MAX_SIZE = 1_000_000
MAX_TEXT = 1000
KINDS = {"array", "tuple", "str", "raised", "invalid", "timeout"}


class SchemaError(ValueError):
    """A record line that does not have the recorder's shape."""


def _text(value, limit=MAX_TEXT):
    if not isinstance(value, str) or len(value) > limit:
        raise SchemaError("expected a short string")
    return value


def check_result(result, depth=0):
    """Validate one serialised result (recursively); return it or raise :class:`SchemaError`."""
    if depth > MAX_DEPTH:
        raise SchemaError("nested too deep")
    if not isinstance(result, dict) or result.get("kind") not in KINDS:
        raise SchemaError("a result must be an object with a known kind")
    kind = result["kind"]
    if kind == "array":
        shape, data = result.get("shape"), result.get("data")
        if not isinstance(shape, list) or len(shape) > MAX_DIMS:
            raise SchemaError("bad shape")
        if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_SIZE for n in shape):
            raise SchemaError("bad shape entry")
        size = math.prod(shape)
        if not isinstance(data, list) or size > MAX_SIZE or len(data) != size:
            raise SchemaError("data length differs from the product of the shape")
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in data):
            raise SchemaError("data must be numbers")
        if "integer" in result and not isinstance(result["integer"], bool):
            raise SchemaError("bad integer mark")
    elif kind == "tuple":
        items = result.get("items")
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise SchemaError("bad tuple")
        for item in items:
            check_result(item, depth + 1)
    elif kind == "str":
        _text(result.get("value"))
    elif kind == "raised":
        _text(result.get("type"), 100)
        _text(result.get("message", ""))
        mro = result.get("mro", [])
        if not isinstance(mro, list) or len(mro) > 30:
            raise SchemaError("bad mro")
        for name in mro:
            _text(name, 100)
    elif kind == "invalid":
        _text(result.get("type", ""), 200)
    return result


def parse_line(line):
    """One record line -> :class:`Record`, or ``None`` if it is not a valid record."""
    if len(line) > MAX_LINE_BYTES:
        return None
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise SchemaError("a record is an object")
        function, aspect = _text(data.get("function"), 100), _text(data.get("aspect"), 100)
        results, mutated = data.get("results"), data.get("mutated")
        if not isinstance(results, list) or not isinstance(mutated, list) or len(results) > MAX_CASES:
            raise SchemaError("results and mutated must be lists")
        if len(results) != len(mutated) or not all(isinstance(m, bool) for m in mutated):
            raise SchemaError("one mutated flag per result")
        for result in results:
            check_result(result)
    except (ValueError, RecursionError, MemoryError, TypeError):
        return None
    return Record(function, aspect, tuple(results), tuple(mutated))


def read_records(path):
    """``({(function, aspect): Record}, dropped)`` from a record file; the last valid record of a check wins.

    The file is read up to :data:`MAX_FILE_BYTES`; a missing file is no records.
    """
    path = Path(path)
    records, dropped = {}, 0
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES)
    except OSError:
        return records, dropped
    for line in raw.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        record = parse_line(line)
        if record is None:
            dropped += 1
            continue
        records[(record.function, record.aspect)] = record
    return records, dropped
