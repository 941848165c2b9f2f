"""`flask seed` and `flask demo-data`, which `make run` uses."""

import shutil

import yaml
from sqlalchemy import func, select

from service.auth.passwords import verify_password
from service.dao.consultations import get_consultation_by_slug, list_open_consultations
from service.demo import DEMO_ACCOUNTS, DEMO_SLUG
from service.extensions import db
from service.models import Consultation, PaperRequest, StaffUser
from service.models.consultations import UK
from service.models.types import utcnow


def test_seed_loads_the_digital_strategy_consultation_with_its_real_dates(app):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        consultation = get_consultation_by_slug("lcr-digital-strategy-2021")
        assert consultation.organisation == "Liverpool City Region Combined Authority"
        assert consultation.phone_line == "+441513301249"
        assert str(consultation.closes_on) == "2021-01-13"
        assert consultation.online_survey_url.endswith("k=160710759907")


def test_demo_data_adds_sign_ins_and_an_open_demonstration_consultation_once(app):
    runner = app.test_cli_runner()
    for _ in range(2):  # `make run` runs it every start: it must not duplicate anything
        result = runner.invoke(args=["demo-data"])
        assert result.exit_code == 0, result.output
    for account in DEMO_ACCOUNTS:
        assert f"username {account.username}" in result.output and account.password in result.output
    with app.app_context():
        today = utcnow().astimezone(UK).date()
        open_now = list_open_consultations(today)
        assert [c.slug for c in open_now] == [DEMO_SLUG]
        assert open_now[0].display_name.endswith("(demonstration)")
        assert db.session.scalar(select(func.count(Consultation.id))) == 2
        assert db.session.scalar(select(func.count(PaperRequest.id))) == 5
        for account in DEMO_ACCOUNTS:
            user = db.session.scalar(select(StaffUser).where(StaffUser.username == account.username))
            assert user.role == account.role and verify_password(user.password_hash, account.password)


def test_demo_data_is_refused_in_production(app):
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo-data"])
    finally:
        app.config["ENV_NAME"] = "test"
    assert result.exit_code != 0 and "Refusing" in result.output


def test_the_demonstration_letter_agrees_with_its_own_dates(app):
    from service.packs.assemble import consultation_facts
    from service.packs.letter_wording import letter_wording

    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    with app.app_context():
        demo = get_consultation_by_slug(DEMO_SLUG)
        today = utcnow().astimezone(UK).date()
        wording = letter_wording(consultation_facts(demo), today)
        assert demo.opens_on <= today <= demo.closes_on
        assert f"{demo.closes_on.day} {demo.closes_on:%B %Y}" in wording.deadline.replace("\xa0", " ")
        # The decision comes after the closing date, as in the real consultation, never in 2021.
        assert demo.closes_on < demo.decision_on
        assert wording.after_closing.endswith(f"for approval in {demo.decision_on:%B %Y}.")


def test_seed_loads_every_consultation_folder_it_finds(app, tmp_path, monkeypatch):
    """A second consultation is a folder of data: `flask seed` finds it with no Python edit."""
    from service.questionnaires import definition

    templates = (tmp_path / "pdf_templates").resolve()
    shutil.copytree(definition.PDF_TEMPLATES / "lcr-digital-strategy-2021", templates / "lcr-digital-strategy-2021")
    second = templates / "wirral-parks-2027"
    second.mkdir()
    facts = yaml.safe_load((templates / "lcr-digital-strategy-2021" / "consultation.yaml").read_text())
    facts.update(
        slug="wirral-parks-2027",
        organisation="Wirral Council",
        title="Parks and Open Spaces Strategy",
        phone_line="+441514960123",
        questionnaire_file="wirral-parks-2027/questionnaire.yaml",
    )
    (second / "consultation.yaml").write_text(yaml.safe_dump(facts))
    shutil.copy(templates / "lcr-digital-strategy-2021" / "questionnaire.yaml", second / "questionnaire.yaml")
    (templates / "fonts").mkdir()  # a folder without a consultation.yaml is not a consultation
    monkeypatch.setattr(definition, "PDF_TEMPLATES", templates)

    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Consultation ready: Digital Strategy and Action Plan 2021-2023" in result.output
    assert "Consultation ready: Parks and Open Spaces Strategy" in result.output
    with app.app_context():
        assert get_consultation_by_slug("wirral-parks-2027").organisation == "Wirral Council"
        assert db.session.scalar(select(func.count(Consultation.id))) == 2
