"""The demo data leaves a return keyed once by `keyer`, for `keyer2` to key again, and packs to receive."""

from sqlalchemy import select

from service.dao.returns import list_unreturned_demo_packs
from service.extensions import db
from service.models import Return, ReturnStatus


def test_demo_data_adds_one_return_keyed_once_and_leaves_packs_to_receive(app):
    runner = app.test_cli_runner()
    for _ in range(2):  # `make run` runs it at every start
        assert runner.invoke(args=["demo-data"]).exit_code == 0
    with app.app_context():
        [ret] = db.session.scalars(select(Return)).all()
        assert ret.status == ReturnStatus.KEYED_ONCE and ret.keyings[0].keyer.username == "keyer"
        assert len(list_unreturned_demo_packs()) == 4  # 5 demo requests, one returned
