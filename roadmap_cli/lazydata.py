"""Values kept as marshal bytes (zlib-compressed for the ``Z`` kinds) until first read: a
document's source positions and its data as written, which most runs never read
(:mod:`roadmap_cli.model` keeps them so; the cache stores the bytes as they are)."""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, Mapping
from typing import Any


class LazyMap(Mapping[Any, Any]):
    """A mapping kept as marshal bytes until first read: the source positions of a document,
    mostly never read (the cache keeps them as they are)."""

    __slots__ = ("_blob", "_map")

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._map: dict[Any, Any] | None = None

    @classmethod
    def of(cls, mapping: Mapping[Any, Any]) -> LazyMap:
        if isinstance(mapping, LazyMap):
            return mapping
        return cls(marshal.dumps(mapping if type(mapping) is dict else dict(mapping)))

    def _get(self) -> dict[Any, Any]:
        m = self._map
        if m is None:
            assert self._blob is not None
            m = marshal.loads(self._blob)
            if not isinstance(m, dict):  # pragma: no cover - the entry's checksum held
                m = {}
            self._map = m
            self._blob = None
        return m

    def __getitem__(self, key: Any) -> Any:
        return self._get()[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._get().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return f"LazyMap({self._get()!r})"

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (LazyMap, (self._blob if self._blob is not None else marshal.dumps(self._map),))



class LazyRaw:
    """A document's data as loaded (``Roadmap.raw``, its measures' ``raw`` within it), kept as
    marshal bytes until first read: reports read the model, and only diff, export and the
    answer sheets read the data as written."""

    __slots__ = ("_blob", "_value")

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._value: Any = None

    def get(self) -> Any:
        if self._blob is not None:
            value = marshal.loads(self._blob)
            self._value = value if isinstance(value, dict) else {}
            self._blob = None
        return self._value

    def peek(self) -> Any:
        """The value :meth:`get` returns, decoded for the caller and not kept when it has not
        been read yet (a reader of a thousand documents' data, one at a time, then holds one
        at a time)."""
        blob = self._blob
        if blob is None:
            return self._value
        value = marshal.loads(self._unzipped(blob))
        return value if isinstance(value, dict) else {}

    @staticmethod
    def _unzipped(blob: bytes) -> bytes:
        return blob

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (LazyRaw, (self._blob if self._blob is not None else marshal.dumps(self._value),))


class ZLazyMap(LazyMap):
    """A :class:`LazyMap` kept as zlib-compressed marshal bytes (the cache's stored form:
    :mod:`roadmap_cli.stored`), a fifth of the size until first read."""

    __slots__ = ()

    def _get(self) -> dict[Any, Any]:
        if self._map is None and self._blob is not None:
            self._blob = zlib.decompress(self._blob)
        return super()._get()

    def zipped(self) -> bytes:
        return self._blob if self._blob is not None else zlib.compress(marshal.dumps(self._map), 1)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (ZLazyMap, (self.zipped(),))


class ZLazyRaw(LazyRaw):
    """A :class:`LazyRaw` kept as zlib-compressed marshal bytes (as :class:`ZLazyMap`)."""

    __slots__ = ()

    def get(self) -> Any:
        if self._blob is not None:
            self._blob = zlib.decompress(self._blob)
        return super().get()

    @staticmethod
    def _unzipped(blob: bytes) -> bytes:
        return zlib.decompress(blob)

    def zipped(self) -> bytes:
        return self._blob if self._blob is not None else zlib.compress(marshal.dumps(self._value), 1)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (ZLazyRaw, (self.zipped(),))
