"""Integer ids that come from outside (addresses, query parameters, JSON bodies), bounded to what
the database can hold.

SQLite's integers and PostgreSQL's bigint end at 2**63 - 1. A larger id in an address reached a
query through a foreign key (`filter(mall_id=...)`, which Django does not range-check as it does
a primary key) and SQLite raised OverflowError: a 500 for `/api/v1/malls/9223372036854775808/
tickets`. Addresses use the `id` converter (an id out of range matches nothing: 404), API
parameters `Path(..., ge=1, le=MAX_ID)`, JSON bodies `JsonId`. A JSON body's integer is strict:
`true` or `1.0` or `"1"` are not the id 1 (pydantic's lax mode took `{"service_id": true}` as
service 1).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

MAX_ID = 2**63 - 1

JsonId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
JsonInt = StrictInt  # any other integer in a JSON body: no booleans, floats or strings


class IdConverter:
    """`<id:pk>`: Django's `<int:pk>` bounded to the database's integers."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("out of range")  # the route does not match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
