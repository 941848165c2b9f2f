"""The audit trail screen, for supervisors."""

from flask import render_template, request

from service.audit import bp
from service.auth import role_required
from service.dao.audit import get_audit_events
from service.models import Role
from service.params import bounded_int


@bp.get("")
@role_required(Role.SUPERVISOR)
def index():
    entity_type = request.args.get("type") or None
    entity_id = request.args.get("id", type=bounded_int)
    return render_template("audit/index.html", events=get_audit_events(entity_type, entity_id, limit=500))
