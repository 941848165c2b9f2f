"""Texts: a consultation with a text sender, and requests from a mobile and from a landline."""

from __future__ import annotations

import pytest

from tests.factories import make_consultation, make_request

MOBILE = "+447700900123"
LANDLINE = "+441514960123"


@pytest.fixture
def texting(app_ctx):
    return make_consultation(text_sender="LCRCA")


@pytest.fixture
def mobile_request(texting):
    return make_request(texting, phone=MOBILE)


@pytest.fixture
def landline_request(texting):
    return make_request(texting, phone=LANDLINE, name="Grace Hopper", address_line_1="3 Bold Street")
