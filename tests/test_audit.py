from service.models import Role
from tests.factories import make_consultation, make_request


def test_supervisors_read_the_audit_trail(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        request_id = make_request(make_consultation()).id
    page = client.get("/audit").get_data(as_text=True)
    assert "Logged a request" in page and f"Request {request_id}" in page  # labels, not codes
    assert "Signed in" in page and "staff.signed_in" not in page
    assert f'href="/requests/{request_id}"' in page
