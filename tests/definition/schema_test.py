#!/usr/bin/env python3
"""Keeps schemas/runtime.schema.json honest.

Run by ctest as `python3 tests/definition/schema_test.py` with CORAL_SOURCE_DIR (the repository)
and CORAL_BIN (the directory of the built `coral`) in the environment. Checks that

  * the schema is a valid draft 2020-12 schema;
  * `coral schema` prints exactly the file (it is compiled in);
  * every runnable example (runtimes-examples/) and every JSON twin
    (tests/fixtures/examples-json/) is accepted, and each JSON twin equals its YAML original;
  * every invalid fixture (tests/definition/fixtures/invalid/) is rejected, except the ones in
    NOT_EXPRESSIBLE, which break rules a JSON Schema cannot state.

Needs Debian's python3-jsonschema and python3-yaml.
"""

import json
import os
import pathlib
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("schema_test: cannot import jsonschema; install it with "
             "`apt-get install python3-jsonschema`")
try:
    import yaml
except ImportError:
    sys.exit("schema_test: cannot import yaml (PyYAML); install it with "
             "`apt-get install python3-yaml`")

# Invalid fixtures the schema cannot reject, with the reason. Everything else in
# tests/definition/fixtures/invalid/ must be rejected. An entry naming a fixture that no longer
# exists is an error, so that the list stays exact.
NOT_EXPRESSIBLE = {
    "duplicate-actor-names.yaml":
        "uniqueness of a property across array items (actor names) is not expressible",
    "link-unknown-actor.yaml":
        "cross-reference: a link must name an actor defined elsewhere in the document",
    "collect-unknown-actor.yaml":
        "cross-reference: collect.from must name an actor defined elsewhere in the document",
    "collect-from-self.yaml":
        "cross-reference: collect.from must differ from the enclosing actor's name",
    "collect-duplicate-alias.yaml":
        "uniqueness of a property across array items (collect aliases) is not expressible",
    "collect-field-not-state.yaml":
        "cross-reference: collect.field must be a state field of the type of the actor named "
        "in collect.from",
    "collect-from-stateless.yaml":
        "cross-reference: the actor named in collect.from must be of a type that has state",
    "state-sliding-window-slide.yaml":
        "comparison of two values (slide <= size); JSON Schema 2020-12 has no $data",
    "params-huge-number.yaml":
        "1e999 overflows a double; JSON Schema has no 'finite number' check (PyYAML happens to "
        "read 1e999 as a string, which would make a rejection a coincidence)",
    "strict-unknown-field.yaml":
        "unknown fields are warnings (errors only with --strict), so the schema allows them",
    "yaml-duplicate-keys.yaml":
        "duplicate mapping keys are a YAML parsing matter; PyYAML keeps the last value",
    "json-duplicate-keys.json":
        "duplicate object keys are a JSON parsing matter; Python's json keeps the last value",
    "yaml-tabs.yaml": "YAML syntax error: the file does not parse, there is nothing to check",
    "yaml-truncated.yaml": "YAML syntax error: the file does not parse, there is nothing to check",
    "json-truncated.json": "JSON syntax error: the file does not parse, there is nothing to check",
    "invalid-utf8.yaml": "encoding error: the file is not UTF-8 and does not parse",
}

passed = 0
failures = []


def ok(what):
    global passed
    passed += 1
    print(f"ok    {what}")


def fail(what, why):
    failures.append(what)
    print(f"FAIL  {what}: {why}")


def source_dir():
    env = os.environ.get("CORAL_SOURCE_DIR")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[2]


def find_coral(root):
    env = os.environ.get("CORAL_BIN")
    if env:
        return pathlib.Path(env) / "coral"
    # Run by hand: the first build directory that has the binary.
    for candidate in sorted(root.glob("build*/coral")):
        return candidate
    return None


def load(path):
    """The document in `path` (YAML or JSON), as JSON Schema sees it."""
    text = path.read_bytes().decode("utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def describe(error):
    where = "/".join(str(part) for part in error.absolute_path) or "(top)"
    return f"{where}: {error.message}"


def check_schema(root):
    schema_path = root / "schemas" / "runtime.schema.json"
    text = schema_path.read_text(encoding="utf-8")
    schema = json.loads(text)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        ok("schema is a valid draft 2020-12 schema")
    except jsonschema.exceptions.SchemaError as error:
        fail("schema is a valid draft 2020-12 schema", error.message)
    # configure_file (CMake) and the raw string literal it lands in.
    if "@" in text:
        fail("schema has no at-sign", "CMake's configure_file would treat it specially")
    if ')coral_schema"' in text:
        fail("schema does not end the raw string", "it contains the raw string's delimiter")
    return schema, text


def check_coral_schema(root, text):
    what = "`coral schema` prints schemas/runtime.schema.json"
    coral = find_coral(root)
    if coral is None or not coral.exists():
        fail(what, f"no coral binary (CORAL_BIN={os.environ.get('CORAL_BIN')!r}); build it first")
        return
    result = subprocess.run([str(coral), "schema"], capture_output=True, timeout=60)
    if result.returncode != 0:
        fail(what, f"exit code {result.returncode}: {result.stderr.decode(errors='replace')}")
    elif result.stdout.decode("utf-8") != text:
        fail(what, "the output differs from the file; rebuild (the schema is compiled in)")
    else:
        ok(what)


def check_valid(root, validator):
    files = sorted((root / "runtimes-examples").glob("*.yaml"))
    files += sorted((root / "runtimes-examples").glob("*.yml"))
    files += sorted((root / "runtimes-examples").glob("*.json"))
    twins = sorted((root / "tests" / "fixtures" / "examples-json").glob("*.json"))
    if not files:
        fail("runtimes-examples/", "no examples found")
    if not twins:
        fail("tests/fixtures/examples-json/", "no JSON twins found")
    for path in files + twins:
        what = f"accepts {path.relative_to(root)}"
        try:
            document = load(path)
        except (ValueError, yaml.YAMLError) as error:
            fail(what, f"does not parse: {error}")
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            fail(what, "; ".join(describe(e) for e in errors))
        else:
            ok(what)
    for twin in twins:
        what = f"{twin.relative_to(root)} equals its YAML original"
        original = root / "runtimes-examples" / (twin.stem + ".yaml")
        if not original.exists():
            fail(what, f"no {original.relative_to(root)}")
        elif load(original) != load(twin):
            fail(what, "the documents differ")
        else:
            ok(what)


def check_invalid(root, validator):
    directory = root / "tests" / "definition" / "fixtures" / "invalid"
    if not directory.exists():
        print("note  tests/definition/fixtures/invalid/ does not exist yet; nothing to check")
        return
    fixtures = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    if not fixtures:
        fail("tests/definition/fixtures/invalid/", "the directory has no *.yaml or *.json fixture")
        return
    names = {p.name for p in fixtures}
    for name in sorted(set(NOT_EXPRESSIBLE) - names):
        fail(f"NOT_EXPRESSIBLE[{name!r}]", "no such fixture any more; remove it from the list")
    for path in fixtures:
        if path.name in NOT_EXPRESSIBLE:
            print(f"skip  {path.name}: {NOT_EXPRESSIBLE[path.name]}")
            continue
        what = f"rejects {path.relative_to(root)}"
        if not path.with_suffix(".expect").exists():
            fail(what, "the fixture has no .expect sidecar")
        try:
            document = load(path)
        except (ValueError, yaml.YAMLError) as error:
            fail(what, f"does not parse ({error.__class__.__name__}); if that is the point of the "
                       "fixture, add it to NOT_EXPRESSIBLE")
            continue
        errors = list(validator.iter_errors(document))
        if errors:
            ok(f"{what} ({describe(jsonschema.exceptions.best_match(errors))})")
        else:
            fail(what, "the schema accepts it; express the rule in schemas/runtime.schema.json or "
                       "add the fixture to NOT_EXPRESSIBLE with the reason")


def main():
    root = source_dir()
    schema, text = check_schema(root)
    validator = jsonschema.Draft202012Validator(schema)
    check_coral_schema(root, text)
    check_valid(root, validator)
    check_invalid(root, validator)
    print(f"schema: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
