"""The JSON Schemas of dateline's outputs, shipped as package data, and a validator."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema(name: str = "document") -> dict[str, Any]:
    text = resources.files("dateline.data").joinpath(f"schema/{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


SCHEMAS = ("document", "event")


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    # the schemas refer to each other by relative URI: resolve them from the package, never the network
    registry = Registry().with_resources(
        (load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in SCHEMAS
    )
    return Draft202012Validator(load_schema(name), registry=registry)


def validation_errors(instance: Any, name: str = "document") -> list[str]:
    """Every way ``instance`` breaks the schema, as readable lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in _validator(name).iter_errors(instance)
    ]
