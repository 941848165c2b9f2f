"""Who may do what, below the screens: roles (`role_required`), sessions and their versions, sign-in limits,
password rules and hashing, the source address, and `flask users create` (in cli.py). The screens that use them
are `service/sign_in/` (`/sign-in`), `service/sign_out/` (`/sign-out`) and `service/password/` (`/password`)."""

from flask import Flask

from service.auth.roles import role_required


def init_app(app: Flask) -> None:
    from service.auth import session, source_address

    source_address.init_app(app)
    session.init_app(app)


__all__ = ["role_required", "init_app"]
