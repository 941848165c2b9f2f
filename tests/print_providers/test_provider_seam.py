"""Print providers behind one interface: chosen once from PRINT_PROVIDER; a third one is a module and a setting."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import service.print_providers
from service import create_app
from service.dao.printing import retry_pack
from service.extensions import db
from service.models import PaperRequest, RequestStatus, Role
from service.print_providers import available
from tests.factories import make_consultation, make_request, make_staff
from workers.jobs import print_run, refresh_provider_statuses, render_request_packs, send_request_to_provider

# A print house that collects PDFs from a folder (an SFTP drop, say) and writes back each letter's status.
# Nothing in the service knows it: it is this one module and the PRINT_PROVIDER setting.
DROP_FOLDER_MODULE = '''
"""A print house's drop folder: each pack's PDF is left in a folder it collects from; it answers in <name>.status."""

from pathlib import Path

from service.print_providers import Sent


class DropFolder:
    name = "drop_folder"
    label = "the print house's drop folder"
    max_pages: int | None = 20
    posted_statuses = frozenset({"posted"})
    failed_statuses = frozenset({"refused"})

    def __init__(self, config):
        self.folder = Path(config["DROP_FOLDER"])

    def send(self, pack_reference, print_round, pdf):
        name = f"{pack_reference}-{print_round}"
        (self.folder / f"{name}.pdf").write_bytes(pdf)
        return Sent(reference=name, status="collected")

    def status(self, provider_reference):
        answer = self.folder / f"{provider_reference}.status"
        return answer.read_text().strip() if answer.exists() else None


PROVIDER = DropFolder
'''


@pytest.fixture
def drop_folder(app, tmp_path, monkeypatch) -> Path:
    modules = tmp_path / "providers"
    modules.mkdir()
    (modules / "drop_folder.py").write_text(DROP_FOLDER_MODULE)
    monkeypatch.setattr(service.print_providers, "__path__", [*service.print_providers.__path__, str(modules)])
    monkeypatch.delitem(sys.modules, "service.print_providers.drop_folder", raising=False)
    folder = tmp_path / "drop"
    folder.mkdir()
    monkeypatch.setitem(app.config, "PRINT_PROVIDER", "drop_folder")
    monkeypatch.setitem(app.config, "DROP_FOLDER", str(folder))
    yield folder
    sys.modules.pop("service.print_providers.drop_folder", None)


def test_a_third_provider_is_one_module_and_a_setting(app, client, staff, drop_folder, monkeypatch):
    assert available() == ["drop_folder", "local", "notify"]
    with app.app_context():
        request = make_request(make_consultation(), name="Siân Roberts")
        request_id, reference = request.id, request.packs[0].reference
        render_request_packs(request_id)
        assert print_run() == []  # the provider has it: no print run takes it
        assert send_request_to_provider(request_id) == "sent"
    (dropped,) = drop_folder.glob("*.pdf")
    assert dropped.name == f"{reference}-1.pdf"
    assert "Siân Roberts" in PdfReader(dropped).pages[0].extract_text()

    # Switching providers later does not orphan a letter: each pack is followed up by the provider that has it.
    monkeypatch.setitem(app.config, "PRINT_PROVIDER", "local")
    (drop_folder / f"{reference}-1.status").write_text("posted\n")
    with app.app_context():
        assert refresh_provider_statuses() == 1
        assert db.session.get(PaperRequest, request_id).status == RequestStatus.POSTED
        assert refresh_provider_statuses() == 0

    staff.sign_in(Role.CALL_HANDLER)
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "(the print house&#39;s drop folder: posted)" in page
    assert "Sent to the print house&#39;s drop folder" in page
    assert "Printed and posted by the print house&#39;s drop folder" in page


def test_a_letter_the_provider_refuses_fails_the_request_and_a_retry_sends_it_again(app, drop_folder):
    with app.app_context():
        request = make_request(make_consultation())
        render_request_packs(request.id)
        send_request_to_provider(request.id)
        answer = drop_folder / f"{request.packs[0].reference}-1.status"
        answer.write_text("refused")
        refresh_provider_statuses()
        db.session.expire_all()
        request = db.session.get(PaperRequest, request.id)
        assert request.status == RequestStatus.PACK_FAILED
        assert request.failure_reason == "the print house's drop folder: refused"

        answer.unlink()  # the print house put it right
        supervisor = make_staff(Role.SUPERVISOR)
        retry_pack(request, supervisor.id, supervisor.display_name)
        render_request_packs(request.id)
        assert send_request_to_provider(request.id) == "sent"
        db.session.expire_all()
        assert db.session.get(PaperRequest, request.id).status == RequestStatus.SENT_TO_PRINT


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"PRINT_PROVIDER": "nottify"}, "PRINT_PROVIDER 'nottify' is not one of local, notify"),
        ({"PRINT_PROVIDER": "notify", "NOTIFY_API_KEY": ""}, "NOTIFY_API_KEY is not set"),
    ],
)
def test_a_misspelt_provider_or_a_missing_key_stops_start_up(settings, message):
    with pytest.raises(ValueError, match=message):
        create_app({"ENV_NAME": "test", "TESTING": True, **settings})
