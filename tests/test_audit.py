from service.models import Role
from tests.factories import make_consultation, make_request


def test_supervisors_read_the_audit_trail(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        request_id = make_request(make_consultation()).id
    page = client.get("/audit").get_data(as_text=True)
    assert "request.created" in page and f"Request {request_id}" in page
    assert "staff.signed_in" in page
    assert f'href="/requests/{request_id}"' in page
