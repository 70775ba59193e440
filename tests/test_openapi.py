"""The sync API answers as docs/openapi.yaml says it does."""
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from hue_literacy.extensions import db
from tests.factories import LearnerFactory

SPEC = yaml.safe_load((Path(__file__).parent.parent / "docs" / "openapi.yaml").read_text())


def validate(instance, name: str) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    jsonschema.validate(instance, schema)


@pytest.fixture
def learner_client(app, client, auth):
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
    auth.as_user(learner)
    return client


def test_session_matches_the_spec(client, learner_client):
    validate(client.get("/api/v1/session").get_json(), "Session")


def test_batch_answers_match_the_spec(learner_client):
    event = {"id": str(uuid.uuid4()), "type": "lesson_started", "lesson_id": "qr-ward-notice",
             "lesson_version": 1, "occurred_at": datetime.now(UTC).isoformat()}
    validate({"events": [event]}, "Batch")
    answer = learner_client.post("/api/v1/events", json={"events": [event, {"id": 1}]})
    validate(answer.get_json(), "BatchResult")


def test_errors_match_the_spec(learner_client):
    answer = learner_client.post("/api/v1/events", data="{", content_type="application/json")
    validate(answer.get_json(), "Error")


def test_every_documented_path_exists(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    for path in SPEC["paths"]:
        assert "/api/v1" + path in rules


def test_every_event_refusal_reason_is_documented():
    from hue_literacy.sync.services import REASONS

    result = SPEC["components"]["schemas"]["BatchResult"]
    reasons = result["properties"]["results"]["items"]["properties"]["reason"]["enum"]
    assert set(reasons) == set(REASONS)


def test_a_too_deeply_nested_batch_answers_the_documented_error(learner_client):
    answer = learner_client.post("/api/v1/events", data='{"events": [' + "[" * 5000 + "]" * 5000
                                 + "]}", content_type="application/json")
    assert answer.status_code == 400
    validate(answer.get_json(), "Error")
    assert "too_deep" in SPEC["components"]["schemas"]["Error"]["properties"]["error"][
        "description"]
