"""The shape of the models' fields: which hold references, vocabulary values or places, which nest a model.

Checking, linking, the web form, the import and the exports walk fields through these functions.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from .models import Place, Ref, Term

Marker = Ref | Term | Place


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside `X`, `list[X]`, `X | None` or `Annotated[X, …]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None



def _marker(annotation: Any, metadata: list[Any]) -> Marker | None:
    for item in metadata:
        if isinstance(item, Marker):
            return item
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return _marker(args[0], list(args[1:]))
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if (found := _marker(arg, [])) is not None:
                return found
    return None



@cache
def field_plan(model: type[BaseModel]) -> tuple[tuple[str, Marker | None, type[BaseModel] | None], ...]:
    """For each field of `model`: the reference, vocabulary or place marker it carries and the nested model it holds."""
    return tuple(
        (name, _marker(info.annotation, info.metadata), _inner_model(info.annotation))
        for name, info in model.model_fields.items()
    )



@cache
def _marked_fields(model: type[BaseModel]) -> tuple[tuple[str, Marker | None, type[BaseModel] | None], ...]:
    """The fields of `model` that may hold references, vocabulary values or places."""
    return tuple(plan for plan in field_plan(model) if plan[1] is not None or plan[2] is not None)



def marked_values(model: BaseModel, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str, Marker]]:
    """Every reference, vocabulary value and place in a fiche, with its location."""
    for name, marker, _nested in _marked_fields(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, BaseModel):
                yield from marked_values(item, where)
            elif isinstance(item, str) and marker is not None:
                yield where, item, marker



def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel]:
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            inner = _inner_model(model.model_fields[part].annotation)
            if inner is None:
                break
            model = inner
    return model


def strip_optional(annotation: Any) -> Any:
    """`X` from `Annotated[X, …]` and `X | None`."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation



def field_shape(annotation: Any) -> tuple[str, type[BaseModel] | None]:
    """`scalar`, `list`, `model` or `models` (a list of objects), with the nested model if any."""
    inner = strip_optional(annotation)
    if typing.get_origin(inner) is list:
        item = strip_optional(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "models", item
        return "list", None
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "model", inner
    return "scalar", None



def is_coded(annotation: Any) -> bool:
    """A field of coded values (`Literal`: `statut`, `type`…), alone or in a list: shown by their labels."""
    inner = strip_optional(annotation)
    if typing.get_origin(inner) is list:
        inner = strip_optional(typing.get_args(inner)[0])
    return typing.get_origin(inner) is typing.Literal
