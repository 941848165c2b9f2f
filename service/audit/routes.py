"""The audit trail screen, for supervisors."""

from flask import Blueprint, Flask, render_template, request

from service.auth import role_required
from service.dao.audit import get_audit_events
from service.models import Role

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("")
@role_required(Role.SUPERVISOR)
def index():
    entity_type = request.args.get("type") or None
    entity_id = request.args.get("id", type=int)
    return render_template("audit/index.html", events=get_audit_events(entity_type, entity_id, limit=500))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
