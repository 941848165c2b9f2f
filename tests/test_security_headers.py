from service.models import Role


def test_every_page_has_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    assert "max-age" in client.get("/sign-in", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_unknown_pages_and_errors_are_plain_pages(client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    response = client.get("/requests/999999")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    not_allowed = client.delete("/requests/new")
    assert not_allowed.status_code == 405 and "That action is not available here" in not_allowed.get_data(as_text=True)
