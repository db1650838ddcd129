"""The one definition of an item's targeting rules: a pydantic model the API validates with, and the
JSON Schema exported from it that the WordPress plugin ships (schema/targeting-rules.json).

It is deliberately stricter than `rules.compile_rule` (a single string per text condition, bounded
lengths): anything it accepts compiles, so a rule an editor saved is a rule that fires.
Export: `python -m pertinent.decision.rule_schema > wp-plugin/pertinent/schema/targeting-rules.json`.
"""
from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints, TypeAdapter
from pydantic_core import PydanticCustomError

MAX_RULES = 20
MAX_RULE_SLOTS = 20
MAX_COUNT = 1_000_000
SCHEMA_ID = "https://pertinent.dev/schema/targeting-rules.json"


def _unique(values: list) -> list:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicate", "holds the same value twice")
    return values


def _hours_differ(hours: tuple[int, int]) -> tuple[int, int]:
    if hours[0] == hours[1]:
        raise PydanticCustomError("invalid_value", "start and end hours must differ")
    return hours


# What compile_rule's str.strip() removes (str.isspace), listed literally: \s differs between
# ECMA-262, PCRE, Python and Rust, and they share no escape past \xff, but all read literal characters.
SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A character that is not a space, and no NUL (which no store keeps).
HAS_TEXT = f"^[^\\x00]*[^\\x00{SPACE}][^\\x00]*$"
Text = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200, pattern=HAS_TEXT)]
# A slot's name, as in a decide request's slots[].name (the decide request uses this same type).
SlotName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64, pattern=HAS_TEXT),
                     Field(description="A slot's name, as in a decide request's slots[].name.")]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
Hours = Annotated[
    tuple[Annotated[StrictInt, Field(ge=0, le=23)], Annotated[StrictInt, Field(ge=0, le=24)]],
    AfterValidator(_hours_differ),
    Field(description="[start, end) in UTC hours; end may wrap past midnight (22, 6). Start and end differ.",
          json_schema_extra={"uniqueItems": True, "items": False}),
]
Days = Annotated[
    list[Annotated[StrictInt, Field(ge=0, le=6)]],
    AfterValidator(_unique),
    Field(min_length=1, max_length=7, description="Weekdays, 0 (Monday) to 6 (Sunday).",
          json_schema_extra={"uniqueItems": True}),
]


def _no_defaults(schema: dict) -> None:
    # An absent condition is not "a condition equal to null": the schema says only what may be sent
    # (and `default` is outside the plugin validator's JSON-Schema subset). pydantic's per-field titles
    # ("Utm Source") say nothing the property name does not.
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)
        prop.pop("title", None)


class When(BaseModel):
    """Conditions that must all hold; none means always."""

    model_config = ConfigDict(extra="forbid", title="when", json_schema_extra=_no_defaults)

    utm_source: Text = None
    utm_medium: Text = None
    utm_campaign: Text = None
    referrer_contains: Text = None
    device: Text = None
    segment: Text = None
    role: Text = None
    visit_count_min: Count = None
    visit_count_max: Count = None
    hours: Hours = None
    days: Days = None


class TargetingRule(BaseModel):
    """One rule: pin or exclude this item in some slots (all when none) when the conditions hold."""

    model_config = ConfigDict(extra="forbid", title="rule", json_schema_extra=_no_defaults)

    action: Literal["pin", "exclude"] = Field(
        description="pin: show this item in the slot when the conditions hold; exclude: never show it then.")
    slots: Annotated[list[SlotName], AfterValidator(_unique)] = Field(
        None, max_length=MAX_RULE_SLOTS, json_schema_extra={"uniqueItems": True},
        description="Slot names the rule applies to; absent or empty means every slot.")
    when: When = None

    def to_stored(self) -> dict:
        """The rule as the catalog keeps it and compile_rule reads it: only what the editor set."""
        return self.model_dump(mode="json", exclude_none=True)


TargetingRules = Annotated[list[TargetingRule], Field(max_length=MAX_RULES)]
TARGETING = TypeAdapter(TargetingRules)


def _plugin_layout(schema: dict) -> dict:
    """pydantic's schema in the layout the plugin's file has had from the start: the rule and its `when`
    inline (pydantic puts each model under $defs), the shared value types under $defs by name."""
    models = schema.pop("$defs")
    shared = {name: TypeAdapter(kind).json_schema() for name, kind in SHARED_TYPES.items()}

    def walk(node):
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:  # a model: inline it (rules do not nest, so this ends)
            model = models[node["$ref"].rsplit("/", 1)[1]]
            return walk({**model, **{k: v for k, v in node.items() if k != "$ref"}})
        for name, value in shared.items():
            if node == value:
                return {"$ref": f"#/$defs/{name}"}
        return {k: walk(v) for k, v in node.items()}

    return {**walk(schema), "$defs": shared}


SHARED_TYPES = {"text": Text, "count": Count, "slot_name": SlotName}


def json_schema() -> dict:
    """The exported JSON Schema (draft 2020-12) of an item's `targeting` list."""
    schema = _plugin_layout(TARGETING.json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Targeting rules",
            "description": "An item's pin/exclude rules. One definition: the sidecar's API validates "
                           "`targeting` against it and the WordPress plugin validates the editor's rules "
                           "against this same file before saving. Generated by "
                           "`python -m pertinent.decision.rule_schema`; do not edit by hand.",
            **schema}


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2))
