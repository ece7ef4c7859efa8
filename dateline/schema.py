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


def validation_errors(instance: Any, name: str = "document") -> list[str]:
    """Every way ``instance`` breaks the schema, as readable lines (empty when valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema(name))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]
