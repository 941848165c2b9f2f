import pytest

from service.questionnaires.definition import DefinitionError, load_questionnaire, parse_definition

SHIPPED = "lcr-digital-strategy-2021/questionnaire.yaml"
AREAS = [
    "Digital Infrastructure & Connectivity",
    "Tech for Good & a Smart City Region",
    "Digital & CreaTech Sector Development",
    "Cross-Sector Digitalisation & Artificial Intelligence (AI)",
    "Digital Skills for Recovery & Growth",
    "Digital Inclusion",
]


def test_shipped_questionnaire_asks_about_each_key_area():
    questionnaire = load_questionnaire(SHIPPED)
    scale_questions = [q for q in questionnaire.questions if q.type == "scale"]
    assert len(scale_questions) == 6
    for area, question in zip(AREAS, scale_questions, strict=True):
        assert question.text.startswith(area)
        assert [o.label for o in question.options][-1] == "Don't know"
        assert len(question.options) == 6
    codes = [q.code for q in questionnaire.questions]
    assert len(set(codes)) == len(codes)


def test_shipped_questionnaire_asks_about_the_respondent():
    questionnaire = load_questionnaire(SHIPPED)
    local_authority = questionnaire.question("q10_local_authority")
    assert [o.label for o in local_authority.options][:6] == [
        "Halton",
        "Knowsley",
        "Liverpool",
        "Sefton",
        "St Helens",
        "Wirral",
    ]
    assert questionnaire.question("q11_how_online").type == "multiple"
    assert questionnaire.question("q8_responding_as").option_label("2") == "A business"


def _minimal(**question):
    return {"id": "x", "title": "T", "sections": [{"title": "S", "questions": [question]}]}


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            {"number": "1", "code": "a", "type": "single", "text": "Q", "options": [{"code": "1", "label": "Yes"}]},
            "at least two",
        ),
        ({"number": "1", "code": "a", "type": "text", "text": "Q"}, "lines"),
        ({"number": "1", "code": "a", "type": "scale", "scale": "nope", "text": "Q"}, "unknown scale"),
        ({"number": "1", "code": "a", "type": "essay", "text": "Q"}, "type must be"),
        ({"number": "1", "type": "text", "text": "Q", "lines": 2}, "`code` is missing"),
    ],
)
def test_broken_definitions_are_refused_with_the_question_named(question, message):
    with pytest.raises(DefinitionError, match=message):
        parse_definition(_minimal(**question))
