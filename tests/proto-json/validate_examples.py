#!/usr/bin/python3
"""Checks the wire contract's JSON Schemas against their examples.

Usage: validate_examples.py PROTO_JSON_DIR

Every schema in schemas/ must be a valid draft 2020-12 schema and must have a folder of examples
in examples/ named after it. Each valid*.json example must validate; each invalid-*.json example
must fail, and only on a field that its file name mentions (so that an example does not pass by
breaking a rule other than the one it is about). tests/proto-json/messages_test.cpp checks the
same examples against the C++ decoder, which keeps the schemas and the decoder in agreement.

Runs on Debian's python3-jsonschema (4.10, RefResolver); newer versions with the `referencing`
package are used when present, because RefResolver is deprecated there.
"""

import json
import pathlib
import sys

import jsonschema
from jsonschema import Draft202012Validator

SCHEMA_SUFFIX = ".schema.json"


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, what, detail=""):
        self.passed += 1
        print(f"ok    {what}{'  (' + detail + ')' if detail else ''}")

    def fail(self, what, why):
        self.failed += 1
        print(f"FAIL  {what}: {why}")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_validator_factory(schemas):
    """Returns a function that builds a validator for one schema, resolving relative $refs
    ("command.schema.json") against the $id of the schema that contains them."""
    # Formats (date-time) are checked only where the optional format libraries are installed;
    # the decoder does not check them, so no invalid example may rely on one.
    format_checker = Draft202012Validator.FORMAT_CHECKER
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values()
        )

        def build(schema):
            return Draft202012Validator(schema, registry=registry, format_checker=format_checker)

    except ImportError:
        store = {s["$id"]: s for s in schemas.values()}

        def build(schema):
            resolver = jsonschema.RefResolver.from_schema(schema, store=store)
            return Draft202012Validator(schema, resolver=resolver, format_checker=format_checker)

    return build


def refused_fields(error):
    """The names of the fields an error is about, as they would appear in a file name."""
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        names = [n for n in error.validator_value if n not in present]
    else:
        # The schema path, not the instance path: in labels the instance path ends in a label key.
        path = list(error.absolute_schema_path)
        names = [path[i + 1] for i in range(len(path) - 1) if path[i] == "properties"][-1:]
    return [n.replace("_", "-") for n in names] or ["(body)"]


def check_examples(name, folder, validator, report):
    files = sorted(folder.glob("*.json"))
    valid = [f for f in files if f.name.startswith("valid")]
    invalid = [f for f in files if f.name.startswith("invalid-")]
    for stray in sorted(set(files) - set(valid) - set(invalid)):
        report.fail(f"{name}/{stray.name}", "an example is named valid*.json or invalid-*.json")
    if not valid:
        report.fail(name, "no valid*.json example")
    if not invalid:
        report.fail(name, "no invalid-*.json example")

    for path in valid:
        what = f"{name}/{path.name}"
        errors = list(validator.iter_errors(load_json(path)))
        if errors:
            report.fail(what, f"rejected: {jsonschema.exceptions.best_match(errors).message}")
        else:
            report.ok(what)

    for path in invalid:
        what = f"{name}/{path.name}"
        errors = list(validator.iter_errors(load_json(path)))
        if not errors:
            report.fail(what, "accepted, but it is meant to be refused")
            continue
        stem = path.stem
        unrelated = [e for e in errors if not any(f in stem for f in refused_fields(e))]
        if unrelated:
            why = unrelated[0].message
            report.fail(what, f"refused for a reason its name does not mention: {why}")
        else:
            report.ok(what, jsonschema.exceptions.best_match(errors).message[:100])


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} PROTO_JSON_DIR", file=sys.stderr)
        return 2
    root = pathlib.Path(argv[1])
    schema_dir = root / "schemas"
    example_dir = root / "examples"
    report = Report()

    schemas = {}
    for path in sorted(schema_dir.glob("*" + SCHEMA_SUFFIX)):
        name = path.name[: -len(SCHEMA_SUFFIX)]
        schema = load_json(path)
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            report.fail(f"schema {path.name}", e.message)
            continue
        expected_id = f"https://corral.dev/schemas/v1/{path.name}"
        if schema.get("$id") != expected_id:
            report.fail(f"schema {path.name}", f"$id is {schema.get('$id')!r}, not {expected_id!r}")
            continue
        report.ok(f"schema {path.name}")
        schemas[name] = schema

    if not schemas:
        report.fail(str(schema_dir), "no schemas found")

    build = make_validator_factory(schemas)
    for name, schema in schemas.items():
        folder = example_dir / name
        if not folder.is_dir():
            report.fail(name, f"no examples folder {folder}")
            continue
        check_examples(name, folder, build(schema), report)

    for folder in sorted(p for p in example_dir.iterdir() if p.is_dir()):
        if folder.name not in schemas:
            report.fail(folder.name, f"examples without a schema {folder.name}{SCHEMA_SUFFIX}")

    print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
