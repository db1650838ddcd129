"""One contract for targeting rules, end to end: rules an editor could send are normalised and validated by
the plugin's sanitizer in a real WordPress (against schema/targeting-rules.json), pushed by the plugin's
own catalog sync through the real sidecar's `PUT /v1/content/{id}`, read back from the API and compiled by
the decision core's `compile_rule`. Whatever the plugin accepts must compile; the rules issue 10 found
"live but dead" must be refused by the plugin and by the compiler alike."""
from __future__ import annotations

import json
import random

import pytest
from pertinent.decision.rules import compile_rule

from tests.wordpress.harness import REPO, php_string

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

SCHEMA = json.loads((REPO / "wp-plugin" / "pertinent" / "schema" / "targeting-rules.json").read_text())
ISSUE_10_BAD_RULES = [
    {"action": "pin", "when": {"hours": [5, 5]}},
    {"action": "pin", "when": {"hours": [24, 3]}},
    {"action": "pin", "when": {"days": []}},
]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        target = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _condition_values(name: str, rng: random.Random):
    """Values an editor's form might send for one condition: typical, boundary, off-by-one, mis-typed."""
    schema = _resolve(SCHEMA["items"]["properties"]["when"]["properties"][name])
    if schema.get("type") == "string":
        return rng.choice(["spring", "  Spring Sale ", "2024", "Ünïcode", "x" * schema["maxLength"],
                           "x" * (schema["maxLength"] + 1), "   ", "", 7])
    if schema.get("type") == "integer":
        return rng.choice([schema["minimum"], schema["maximum"], schema["maximum"] + 1, -1, "7", " 12 ",
                           True, 2.5])
    if "prefixItems" in schema:
        low, high = schema["prefixItems"][0]["maximum"], schema["prefixItems"][1]["maximum"]
        return rng.choice([[9, 17], [22, 6], [0, high], [low, 0], [5, 5], [high, 3], ["8", "18"], [3],
                           [1, 2, 3], [rng.randint(0, low), rng.randint(0, high)]])
    top = schema["items"]["maximum"]
    return rng.choice([[0], list(range(top + 1)), [5, 6], ["1", "2"], [], [2, 2], [top + 1], [-1],
                       rng.sample(range(top + 1), rng.randint(1, top + 1))])


def generated_rules(count: int, seed: int = 10) -> list[dict]:
    """Deterministic rules from the schema's own conditions, a mix of valid and invalid."""
    rng = random.Random(seed)
    names = list(SCHEMA["items"]["properties"]["when"]["properties"])
    rules = []
    for _ in range(count):
        rule = {"action": rng.choice(["pin", "exclude", " PIN ", "Exclude", "boost"])}
        rule["when"] = {n: _condition_values(n, rng) for n in rng.sample(names, rng.randint(0, 3))}
        slots = rng.choice([None, [], ["hero"], ["Hero", " cta "], ["hero", "hero"], [""], "hero"])
        if slots is not None:
            rule["slots"] = slots
        rules.append(rule)
    return rules


def plugin_verdicts(wordpress, rules: list[dict]) -> list[dict]:
    """What the plugin makes of each rule: its normalised form and its problems (path, message)."""
    code = f"""
$out = array();
foreach (json_decode({php_string(json.dumps(rules))}, true) as $rule) {{
    $out[] = array('normalised' => pertinent_sanitize_targeting(array($rule)),
                   'problems' => pertinent_targeting_problems(array($rule)));
}}
return $out;
"""
    return wordpress.php(code)


def save_variants(wordpress, rule_lists: list[list[dict]]) -> list[dict]:
    """One variant per list, saved through WordPress (sanitizer, refusal guard, catalog sync at shutdown)."""
    code = f"""
$out = array();
foreach (json_decode({php_string(json.dumps(rule_lists))}, true) as $i => $rules) {{
    $id = wp_insert_post(array('post_type' => 'pertinent_variant', 'post_status' => 'publish',
        'post_title' => "Contract variant $i", 'post_content' => '<p>Contract</p>'));
    $saved = update_post_meta($id, 'pertinent_targeting', $rules);
    $out[] = array('id' => $id, 'saved' => (bool) $saved,
                   'stored' => get_post_meta($id, 'pertinent_targeting', true));
}}
return $out;
"""
    return wordpress.php(code)


def compiles(rule: dict) -> str | None:
    """None when the decision core compiles the rule, else its reason."""
    try:
        compile_rule(rule)
    except ValueError as exc:
        return str(exc)
    return None


def test_the_rules_issue_10_found_are_refused_by_the_plugin_and_by_the_compiler(wordpress):
    verdicts = plugin_verdicts(wordpress, ISSUE_10_BAD_RULES)
    fields = [v["problems"][0][0] for v in verdicts]
    assert fields == ["targeting[0].when.hours", "targeting[0].when.hours[0]", "targeting[0].when.days"]
    for rule in ISSUE_10_BAD_RULES:
        assert compiles(rule) is not None, rule
    # And a save through WordPress keeps the variant's earlier, valid rules.
    saved = save_variants(wordpress, [[{"action": "pin", "when": {"device": "mobile"}}]])[0]
    code = (f"return array(update_post_meta({saved['id']}, 'pertinent_targeting', "
            f"json_decode({php_string(json.dumps(ISSUE_10_BAD_RULES[:1]))}, true)), "
            f"get_post_meta({saved['id']}, 'pertinent_targeting', true));")
    refused, stored = wordpress.php(code)
    assert refused is False
    assert stored == [{"action": "pin", "when": {"device": "mobile"}}]


def test_every_rule_the_plugin_accepts_goes_through_the_api_and_compiles(wordpress, sidecar):
    rules = generated_rules(400)
    verdicts = plugin_verdicts(wordpress, rules)
    accepted = [v["normalised"][0] for v in verdicts if not v["problems"]]
    refused = [(r, v["problems"]) for r, v in zip(rules, verdicts, strict=True) if v["problems"]]
    print(f"generated {len(rules)} rules: plugin accepted {len(accepted)}, refused {len(refused)}")
    assert len(accepted) >= 100 and len(refused) >= 100, "the generator should exercise both sides"
    # Every refusal names a field inside the rule, never just "targeting".
    assert all(p[0].startswith("targeting[0]") for _, problems in refused for p in problems)

    batches = [accepted[i:i + SCHEMA["maxItems"]] for i in range(0, len(accepted), SCHEMA["maxItems"])]
    saved = save_variants(wordpress, batches)
    assert all(s["saved"] for s in saved)
    for variant, batch in zip(saved, batches, strict=True):
        stored = [{**rule, "when": rule["when"] or {}} for rule in variant["stored"]]
        assert stored == [{**rule, "when": rule["when"] or {}} for rule in batch]
        resp = sidecar.request("GET", f"/v1/content/{variant['id']}")
        assert resp.status_code == 200, resp.text  # the plugin's sync PUT it at shutdown
        served = resp.json()["targeting"]
        assert len(served) == len(batch)
        for sent, got in zip(batch, served, strict=True):
            assert got["action"] == sent["action"] and got["when"] == (sent["when"] or {})
            assert sorted(got.get("slots") or []) == sorted(sent.get("slots") or [])
            assert compiles(got) is None, (got, compiles(got))


NODE_VALIDATE = """
global.window = {};
require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const validate = window.pertinentJsonSchema.validate;
const out = input.rules.map(r => validate([r], input.schema, 'targeting', input.schema));
process.stdout.write(JSON.stringify(out));
"""


def test_the_browser_validator_agrees_with_the_plugin_on_every_generated_rule(wordpress):
    import shutil
    import subprocess

    if not shutil.which("node"):
        pytest.skip("node is not installed (make system-deps)")
    rules = generated_rules(400)
    verdicts = plugin_verdicts(wordpress, rules)
    # What the form would hold: each rule as the plugin normalised it (PHP's empty `when` is JSON [] there).
    normalised = [v["normalised"][0] for v in verdicts]
    for rule in normalised:
        if isinstance(rule, dict) and rule.get("when") == []:
            rule["when"] = {}
    script = REPO / "wp-plugin" / "pertinent" / "assets" / "js" / "json-schema.js"
    proc = subprocess.run(["node", "-e", NODE_VALIDATE, str(script)], input=json.dumps(
        {"rules": normalised, "schema": SCHEMA}), capture_output=True, text=True, timeout=60, check=True)
    browser = json.loads(proc.stdout)
    plugin = [v["problems"] for v in verdicts]
    pairs = zip(normalised, plugin, browser, strict=True)
    disagreements = [(rule, php, js) for rule, php, js in pairs if php != js]
    assert disagreements == []
