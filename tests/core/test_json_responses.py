"""Responses are encoded by orjson, and read exactly as Flask's own encoder wrote them."""
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


@dataclass
class Point:
    x: int
    label: str


def test_the_fast_encoder_writes_what_flask_would(app):
    value = {"b": [1, 2.5, None, True], "a": "é ✓", "when": datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc),
             "day": date(2026, 3, 1), "hours": Decimal("7.50"), "point": Point(1, "p")}
    flask_own = DefaultJSONProvider(app)
    with app.app_context():
        fast = app.json.dumps(value)
        response = app.json.response(value)
    assert json.loads(fast) == json.loads(flask_own.dumps(value))
    assert json.loads(response.get_data()) == json.loads(flask_own.dumps(value))
    assert response.mimetype == "application/json"
    assert json.loads(fast)["when"] == "Sun, 01 Mar 2026 09:30:00 GMT" and json.loads(fast)["hours"] == "7.50"
    assert list(json.loads(fast)) == sorted(json.loads(fast))  # keys sorted, as Flask sorts them


def test_what_orjson_cannot_write_falls_back_to_the_standard_library(app):
    with app.app_context():
        assert json.loads(app.json.dumps({"n": 10 ** 30})) == {"n": 10 ** 30}
