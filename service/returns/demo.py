"""Demonstration returns, so a newcomer can try the second keying and receiving straight after `make run`."""

from __future__ import annotations

from datetime import timedelta

from service.dao.returns import count_demo_returns, list_unreturned_demo_packs, receive_return, save_keying
from service.dao.staff import get_staff_by_username
from service.models import Consultation
from service.models.types import uk_today, utcnow
from service.questionnaires.definition import load_questionnaire

DEMO_ANSWERS = {
    "q1a_infrastructure_priority": "2",
    "q1b_infrastructure_actions": "Faster broadband in Kirkby",
    "q5a_skills_priority": "1",
    "q5b_skills_actions": "Free [illegible] courses at the library",
    "q10_local_authority": "3",
    "q11_how_online": "1;3",
}


def load_demo_returns(consultation: Consultation) -> None:
    """Receive one demo pack and key its first entry as `keyer`; leave the other packs to be received. Runs once."""
    keyer = get_staff_by_username("keyer")
    packs = list_unreturned_demo_packs(limit=1)
    if keyer is None or not packs or count_demo_returns(consultation.id):
        return
    questionnaire = load_questionnaire(consultation.questionnaire_file)
    today = uk_today()
    ret = receive_return(consultation, packs[0], today, False, keyer.id)
    answers = {q.code: "" if q.type == "text" else "-1" for q in questionnaire.questions} | DEMO_ANSWERS
    save_keying(ret.id, keyer.id, answers, utcnow() - timedelta(minutes=3), questionnaire)
