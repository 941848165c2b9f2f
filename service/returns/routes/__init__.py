"""The returns screens, by group: the list, one return and progress; receipt; keying; adjudication; export."""

from service.returns.routes import (  # noqa: F401 (each module adds its views to bp)
    adjudication,
    export,
    keying,
    receipt,
    returns,
)
