"""Measures of documents rebuilt from the cache, read without keeping or decoding more than a
reader needs (:func:`roadmap_cli.model.unbuilt_measures`, :mod:`roadmap_cli.stored`): every
measure for a writer that goes through them once (``export``'s measure list), the data as
written of an agency's measures (``request``), and the measures an agency's answers name
(``apply``), over a thousand documents, a document at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from roadmap_cli.model import Measure, Roadmap, unbuilt_measures


def passing(roadmap: Roadmap) -> Sequence[Measure]:
    """The measures of ``roadmap`` for a reader that goes through them once: of a document
    rebuilt from the cache whose measures are not built, built and kept by nobody
    (:meth:`roadmap_cli.stored_measures.Measures.passing`), so that a writer of every measure of a
    thousand documents holds one document's at a time; else ``roadmap.measures``."""
    stored = unbuilt_measures(roadmap)
    return roadmap.measures if stored is None else stored.passing()


def let_go(roadmap: Roadmap) -> None:
    """Forget the measures of ``roadmap`` built for a reader now done with it, while its
    measures are not built in full (:meth:`roadmap_cli.stored_measures.Measures.let_go`)."""
    stored = unbuilt_measures(roadmap)
    if stored is not None:
        stored.let_go()


def ids(roadmap: Roadmap) -> list[str]:
    """The ids of the measures of ``roadmap`` in file order: of a document rebuilt from the
    cache whose measures are not built, told from their stored fields without building them."""
    stored = unbuilt_measures(roadmap)
    found = stored.ids() if stored is not None else None
    return [m.id for m in roadmap.measures] if found is None else found


def heads(roadmap: Roadmap, indices: Iterable[int]) -> list[tuple[str, tuple[str, ...], Any]]:
    """(id, owners, title) of the measures of ``roadmap`` at ``indices`` (in order): of a
    document rebuilt from the cache whose measures are not built, told from their stored
    fields without building them (what a row of a thousand documents' measures names)."""
    stored = unbuilt_measures(roadmap)
    found: list[tuple[str, tuple[str, ...], Any]] | None = (
        stored.heads(indices) if stored is not None else None)
    if found is None:
        measures = roadmap.measures
        return [(m.id, m.owners, m.title) for m in (measures[i] for i in indices)]
    return found


def picked(roadmap: Roadmap, indices: Iterable[int]) -> list[Measure]:
    """The measures of ``roadmap`` at ``indices`` (in order): of a document rebuilt from the
    cache, only those are built (:meth:`roadmap_cli.stored_measures.Measures.pick`)."""
    stored = unbuilt_measures(roadmap)
    if stored is None:
        measures = roadmap.measures
        return [measures[i] for i in indices]
    found: list[Measure] = stored.pick(indices)
    return found


class RawReader:
    """``Measure.raw``, read from a measure's document's data decoded for this reader alone and
    let go when a measure of another document is read (:class:`LazyRaw` ``peek``), so that a
    reader of a thousand documents' measures, a document after another, holds one document's
    data at a time, not all of them (``raw`` itself keeps what it decodes)."""

    def __init__(self) -> None:
        self._lazy: Any = None
        self._data: Any = None

    def raw(self, m: Measure) -> Any:
        state = m.__dict__
        lazy = state.get("_raw_ref")
        if "raw" in state or lazy is None:
            return m.raw  # read already, or made as usual
        if lazy is not self._lazy:
            self._lazy, self._data = lazy, lazy.peek()
        return self._data["measures"][state["index"]]


class MeasuresById:
    """(document id, measure id) -> (document, measure) of ``roadmaps`` (``get``, as a dict made
    of them all), each measure built when asked for: of a document rebuilt from the cache,
    only those asked for (an agency's answers to a thousand documents build its measures, not
    the hundred thousand); ``raw`` reads their data as written as :class:`RawReader` does."""

    def __init__(self, roadmaps: Iterable[Roadmap]) -> None:
        self._docs = {rm.id: rm for rm in roadmaps}
        self._ids: dict[str, dict[str, int]] = {}  # a document's measure ids -> their places
        self.raw = RawReader().raw

    def get(self, key: tuple[str, str]) -> tuple[Roadmap, Measure] | None:
        rid, mid = key
        rm = self._docs.get(rid)
        if rm is None:
            return None
        places = self._ids.get(rid)
        if places is None:
            places = self._ids[rid] = {m: i for i, m in enumerate(ids(rm))}  # the last of an id
        at = places.get(mid)
        if at is None:
            return None
        return rm, picked(rm, [at])[0]

    def let_go(self) -> None:
        """Done asking: the documents asked of forget their decoded stored measures
        (:func:`let_go`; the measures given out stay as they are)."""
        for rid in self._ids:
            let_go(self._docs[rid])
        self._ids.clear()
