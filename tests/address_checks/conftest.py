"""Address checks start from a phone-menu call: the menu's fixtures play it."""

from tests.ivr.conftest import consultation, menu_settings, ring  # noqa: F401 (fixtures)
