"""The documented JSON Schema is the one the definitions produce, and the examples satisfy it."""

import json

import jsonschema
import pytest

from app.core.casefile import dumps
from app.core.model import Case
from app.core.schema import schema_text
from tests.conftest import ROOT, SCHOOL_EXAMPLE, STUDIO_EXAMPLE

SCHEMA_FILE = ROOT / "docs" / "case-file.schema.json"


def test_committed_schema_is_in_step_with_the_definitions():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "regenerate with: python -m app.core.schema > docs/case-file.schema.json"


@pytest.mark.parametrize("path", [SCHOOL_EXAMPLE, STUDIO_EXAMPLE])
def test_examples_validate(path):
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), json.loads(schema_text()),
                        format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("case_type", ["school", "studio"])
def test_a_new_empty_case_validates(case_type):
    jsonschema.validate(json.loads(dumps(Case.new(case_type))), json.loads(schema_text()))


def test_schema_rejects_a_field_the_form_does_not_have():
    doc = json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))
    doc["fields"]["studio_name"] = "不属于校本研修案例"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json.loads(schema_text()))
