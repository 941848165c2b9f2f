"""One page of a long list: every list screen asks dao for a `Page` rather than counting pages itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from service.extensions import db

T = TypeVar("T")
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of one page, which page it is, and how many rows match in all."""

    items: list[T]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_of(query: Select[Any], number: int, count_query: Select[Any] | None = None, per_page: int = PER_PAGE) -> Page:
    """Run `query` for page `number` (counted from 1; past the last page means the last page).

    `count_query` counts the matches when `query` carries eager-loading options that a count does not need.
    """
    counted = query if count_query is None else count_query
    total = db.session.scalar(select(func.count()).select_from(counted.order_by(None).subquery())) or 0
    number = min(max(1, number), max(1, -(-total // per_page)))
    items = list(db.session.scalars(query.offset((number - 1) * per_page).limit(per_page)).unique())
    return Page(items=items, number=number, total=total, per_page=per_page)
