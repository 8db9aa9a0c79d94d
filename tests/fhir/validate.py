#!/usr/bin/env python3
"""Validates FHIR JSON resources with maintained FHIR tooling, not hand-written checks.

    validate.py r4|r5 FILE...

r5: every file is parsed by the fhir.resources models of FHIR R5 (5.0.0), the package's default.
r4: every file is parsed by the fhir.resources models of FHIR R4B (4.3.0; Consent, AuditEvent and
    Bundle have the R4 4.0.1 shape) and validated against the official FHIR R4 JSON schema
    (fhir.schema.json, http://hl7.org/fhir/json-schema/4.0), whose enumerations also check the
    codes of required bindings (status, provision.type, AuditEvent.action and outcome ...).
    The schema's path is $SALUS_FHIR_R4_SCHEMA, else share/fhir.r4.schema.json in this venv.

The models refuse unknown elements, wrong types, missing required elements and malformed
primitives (dates, ids, uris). Prints one line per file; exits 1 if any file is invalid, 2 on
usage errors.
"""

import importlib
import json
import os
import sys


def model_class(version, resource_type):
    package = "fhir.resources.R4B" if version == "r4" else "fhir.resources"
    module = importlib.import_module(f"{package}.{resource_type.lower()}")
    return getattr(module, resource_type)


def r4_schema_validator():
    import jsonschema

    path = os.environ.get("SALUS_FHIR_R4_SCHEMA") or os.path.join(sys.prefix, "share", "fhir.r4.schema.json")
    if not os.path.exists(path):
        sys.exit(f"the FHIR R4 JSON schema is not at {path}: run scripts/install.sh")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    definitions = schema["definitions"]

    def validate(resource, path=""):
        rt = resource.get("resourceType") if isinstance(resource, dict) else None
        if rt not in definitions:
            return [f"{path or '(root)'}: resourceType {rt!r} is not an R4 resource"]
        sub = {"$schema": schema["$schema"], "$ref": f"#/definitions/{rt}", "definitions": definitions}
        errors = []
        for e in sorted(jsonschema.Draft6Validator(sub).iter_errors(resource), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in e.absolute_path)
            where = f"{path}/{where}" if path and where else (path or where or "(root)")
            # A contained resource (Bundle.entry.resource) matches none of the oneOf of every
            # resource type: name what is wrong with it as the resource type it says it is.
            inner = resource_at(resource, e.absolute_path)
            if e.validator == "oneOf" and isinstance(inner, dict) and inner.get("resourceType") in definitions:
                errors.extend(validate(inner, where))
            else:
                errors.append(f"{where}: {e.message[:500]}")
        return errors

    return validate


def resource_at(resource, path):
    node = resource
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def main(argv):
    if len(argv) < 3 or argv[1] not in ("r4", "r5"):
        print(__doc__, file=sys.stderr)
        return 2
    version, files = argv[1], argv[2:]
    schema = r4_schema_validator() if version == "r4" else None
    failed = 0
    for name in files:
        try:
            with open(name, encoding="utf-8") as f:
                resource = json.load(f)
        except (OSError, ValueError) as e:
            print(f"INVALID {name}: cannot read JSON: {e}")
            failed += 1
            continue
        errors = []
        rt = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(rt, str):
            errors.append("no resourceType")
        else:
            try:
                cls = model_class(version, rt)
            except (ImportError, AttributeError):
                errors.append(f"fhir.resources has no {version.upper()} resource {rt!r}")
            else:
                try:
                    cls.model_validate(resource)
                except Exception as e:  # pydantic.ValidationError and the models' own value errors
                    errors.append(f"fhir.resources: {e}")
            if schema is not None:
                errors.extend(f"R4 JSON schema: {e}" for e in schema(resource))
        if errors:
            failed += 1
            print(f"INVALID {name} ({version.upper()} {rt}):")
            for e in errors:
                print("  " + e.replace("\n", "\n  "))
        else:
            print(f"valid {name} ({version.upper()} {rt})")
    print(f"validate.py: {len(files) - failed} valid, {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
