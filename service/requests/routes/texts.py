"""A request's text with the reference: the handler's button, refused at the door for a landline."""

from __future__ import annotations

import logging

from flask import flash, redirect, url_for
from flask_login import current_user

from service.auth import role_required
from service.dao.requests import get_request
from service.dao.texts import request_text
from service.models import CallChannel, Role
from service.requests import bp
from service.requests.routes.requests import render_request_page
from service.texts.offer import why_no_text
from service.web import get_or_404

log = logging.getLogger(__name__)


@bp.post("/<int:request_id>/text")
@role_required(Role.CALL_HANDLER)
def send_text(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    problem = why_no_text(paper_request)
    if problem is not None:
        return render_request_page(paper_request, text_error=problem)
    text, new = request_text(paper_request.id, CallChannel.HANDLER, current_user.id)
    if new:
        log.info("Text %s requested for request %s by staff user %s", text.id, paper_request.id, current_user.id)
        flash("The reference will be texted to the caller's mobile now. Its status shows below.", "success")
    return redirect(url_for("requests.show", request_id=request_id))
