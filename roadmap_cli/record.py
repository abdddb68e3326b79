"""The frozen classes of the model and of every run (:class:`Record`, :func:`record`): what
``@dataclass(frozen=True)`` gives (fields, ``replace``, constructor, immutability, equality,
hash, representation) without compiling the same methods again for every class at import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_R = TypeVar("_R", bound="Record")


class Record:
    """What the frozen classes of the model share: equality, hash and representation over
    their fields (those with ``compare``, those with ``repr``), and their immutability, as a
    frozen dataclass defines them. One function each for every class (:func:`record`), not one
    compiled per class: ``dataclass`` compiles each method it writes (three for a frozen class
    without equality or representation), and doing so for every class of the model was a
    tenth of a warm run."""

    __slots__ = ()
    _compared: Callable[[Any], Any]
    _shown: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = self._compared
            return bool(compared(self) == compared(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"


def _assign(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delete(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


#: the default of a parameter whose field has a ``default_factory`` (as dataclass marks it)
_FACTORY = object()


def _init_of(cls: type, names: Iterable[Any]) -> Callable[..., None]:
    """The ``__init__`` a frozen dataclass writes for ``cls``'s fields ``names``: each
    parameter in field order with its default (a fresh ``default_factory()`` when not given),
    stored with ``object.__setattr__``. Compiled once, for this class alone (``dataclass``
    compiles it, then ``__setattr__`` and ``__delattr__``, per class)."""
    env: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    params, body = [], []
    for f in names:
        if f.default is not MISSING:
            env[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not MISSING:
            env[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(f"    if {f.name} is _FACTORY:\n        {f.name} = _f_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"    _set(self, {f.name!r}, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"]), env)
    init: Callable[..., None] = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _first_init(cls: type, names: Iterable[Any]) -> Callable[..., None]:
    """An ``__init__`` that compiles :func:`_init_of` when ``cls`` is first constructed, puts it
    in its place and runs it: a warm run rebuilds the model from the cache without calling a
    constructor, and compiling the model's constructors at import was a millisecond and a half
    of every run."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init_of(cls, names)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_R]) -> type[_R]:
    """``@dataclass(frozen=True)`` of a class deriving from :class:`Record`: the same
    fields (``dataclasses.fields``, ``replace``), constructor, immutability, equality, hash and
    representation."""
    made = dataclass(init=False, eq=False, repr=False)(cls)  # the fields alone: no code written
    names = fields(made)  # type: ignore[arg-type]
    compared = [f.name for f in names if f.compare]
    # always a tuple, as the dataclass compares and hashes (one field: attrgetter gives it bare)
    made._compared = (  # type: ignore[attr-defined]
        attrgetter(*compared) if len(compared) > 1 else lambda obj: tuple(getattr(obj, n) for n in compared)
    )
    made._shown = tuple(f.name for f in names if f.repr)  # type: ignore[attr-defined]
    made.__init__ = _first_init(made, names)  # type: ignore[misc,method-assign]
    made.__setattr__ = _assign  # type: ignore[assignment,method-assign]
    made.__delattr__ = _delete  # type: ignore[assignment,method-assign]
    return made
