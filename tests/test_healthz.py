"""GET /healthz reports the database and Redis."""

from service.extensions import db


def test_healthy_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True, "redis": True}


def test_503_when_redis_is_unreachable(app, client):
    original = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = original
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": True, "redis": False}


def test_503_when_database_is_unreachable(app, client, monkeypatch):
    from sqlalchemy import create_engine

    broken = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    with app.app_context():
        monkeypatch.setitem(db.engines, None, broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] is False
    assert response.get_json()["redis"] is True
