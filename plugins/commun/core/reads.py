"""What rendering a page read of the corpus, recorded as it reads: the serve cache reuses a page while
everything it read is unchanged, and the build cache (`outputs.recorded`) a page or a PDF of an earlier
build, without a hand-written list of what templates show.

While a `Reads` is active (`with Reads() as reads:`), each `Fiche` hands out its fields through a view
that notes every field read (`fiche.meta.titre`) with its value, its body, and
every question asked of the graph (`graph.links_to(fiche)`, `graph.of_kind("ccas")`…) with a digest of
its answer. Outside one, fiches hand out their plain fields.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

Read = tuple[Any, ...]
"""A question asked of the graph, ("graph", method, arguments), or a live figure, ("figure", name)."""
WHOLE = "*"
BODY = "__body__"

_active: list[Reads] = []


class Reads:
    """The reads of one page: of each fiche, the fields read with their values (the objects themselves,
    which a later rebuild compares, often by identity alone); of the graph and the live figures, a digest
    of each answer."""

    def __init__(self) -> None:
        self.fiches: dict[tuple[str, str], tuple[Any, str, dict[str, Any]]] = {}
        """(kind, slug) → the fields object and body seen, and each field read → its value."""
        self.digests: dict[Read, int] = {}
        self.questions: dict[Read, tuple[str, tuple[Any, ...]]] = {}
        """For each question asked of the graph: the method and its arguments, to ask it again."""
        self.views: dict[tuple[str, str], FieldsView] = {}

    def view(self, ident: tuple[str, str], meta: Any, body: str) -> FieldsView:
        """The fields of a fiche as this page sees them: one view per fiche, however often it is read."""
        if (seen := self.views.get(ident)) is None or seen._meta is not meta:
            seen = self.views[ident] = FieldsView(meta, body, ident, self)
        return seen

    def note_field(self, ident: tuple[str, str], meta: Any, body: str, name: str, value: Any) -> None:
        seen = self.fiches.get(ident)
        if seen is None:
            seen = self.fiches[ident] = (meta, body, {})
        seen[2].setdefault(name, value)

    def __enter__(self) -> Reads:
        _active.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _active.pop()

    def note(self, read: Read, value: Any) -> None:
        if read not in self.digests:
            self.digests[read] = digest(value)

    def note_question(
        self, method: str, args: tuple[Any, ...], answer: Any, known: dict[Read, int] | None = None
    ) -> None:
        """`known`: the digests of the answers already given by the same graph, which does not change."""
        read = ("graph", method, identity(args))
        if read not in self.digests:
            if known is None:
                self.digests[read] = digest(answer)
            elif (value := known.get(read)) is not None:
                self.digests[read] = value
            else:
                self.digests[read] = known[read] = digest(answer)
            self.questions[read] = (method, args)


def current() -> Reads | None:
    return _active[-1] if _active else None


@contextmanager
def unrecorded() -> Iterator[None]:
    """Reads that belong to no page (shared figures computed once for all pages)."""
    saved = _active[:]
    _active.clear()
    try:
        yield
    finally:
        _active[:] = saved


class FieldsView:
    """A fiche's fields as a template or the renderer sees them while a page is recorded."""

    __slots__ = ("_body", "_ident", "_meta", "_reads")

    def __init__(self, meta: Any, body: str, ident: tuple[str, str], reads: Reads) -> None:
        object.__setattr__(self, "_meta", meta)
        object.__setattr__(self, "_body", body)
        object.__setattr__(self, "_ident", ident)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        meta = self._meta
        value = getattr(meta, name)
        if callable(value):  # a method of the model reads fields of its own
            self._reads.note_field(self._ident, meta, self._body, WHOLE, meta)
        else:
            self._reads.note_field(self._ident, meta, self._body, name, value)
        return value

    def __repr__(self) -> str:
        self._reads.note_field(self._ident, self._meta, self._body, WHOLE, self._meta)
        return repr(self._meta)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        """The model's class, for code that asks which model the fields are of (`labels.coded`)."""
        return type(self._meta)


PLAIN = (str, int, float, type(None))
"""Values that stand for themselves (their `repr`): most of what a page reads, tested first."""


def identity(value: Any) -> Any:
    """What stands for a value in a digest: a fiche by its kind and slug, a link by its ends and field,
    collections and dataclasses item by item, anything else by its `repr`."""
    if isinstance(value, PLAIN):
        return repr(value)
    if (ident := getattr(value, "ident", None)) is not None:
        return ("fiche", *ident)
    if isinstance(value, list | tuple):
        return tuple(identity(item) for item in value)
    if isinstance(value, dict):
        return tuple((identity(key), identity(item)) for key, item in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(identity(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return repr(value)


def digest(value: Any) -> int:
    """A digest of a value's identity, the same in every process: a build compares it with one an earlier
    build kept on disk (`outputs.pages.markdowncache`)."""
    data = repr(identity(value)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


F = TypeVar("F", bound=Callable[..., Any])


def recorded(method: F) -> F:
    """A question asked of the graph, noted with its arguments and a digest of its answer."""

    @wraps(method)
    def asked(graph: Any, *args: Any) -> Any:
        answer = method(graph, *args)
        if _active:
            _active[-1].note_question(method.__name__, args, answer, getattr(graph, "answer_digests", None))
        return answer

    return asked  # type: ignore[return-value]
