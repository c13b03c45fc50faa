"""Pages of a long list: which page a request asks for, and the links to the others."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

MAX_PAGE = 100_000


def page_number() -> int:
    """?page=N, a whole number from 1; anything else is page 1."""
    number = request.args.get("page", 1, type=int)
    return min(max(number, 1), MAX_PAGE)


@dataclass(frozen=True)
class Pages:
    number: int
    per_page: int
    total: int
    endpoint: str
    args: dict

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        return min(self.total, (self.number - 1) * self.per_page + 1)

    @property
    def last_shown(self) -> int:
        return min(self.total, self.number * self.per_page)

    def url(self, number: int | None) -> str | None:
        if number is None or not 1 <= number <= self.last or number == self.number:
            return None
        return url_for(self.endpoint, **self.args, page=number if number > 1 else None)

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1)

    def to_json(self) -> dict:
        next_url = self.next_url
        return {"page": self.number, "per_page": self.per_page, "total": self.total,
                "pages": self.last, "next": next_url, "previous": self.previous_url}
