"""The API's published document is one that Swagger UI (/api/v1/docs) can read."""

from __future__ import annotations

import json
from typing import Any


def test_the_openapi_document_names_each_key_once(client, kukar):
    """JSON with a key twice ("400" from ninja's int key and from the common errors) makes
    Swagger UI stop at "duplicated mapping key"; Python's json silently keeps the last."""
    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in items]
        twice.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=pairs)
    assert twice == []
    login = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"200", "400", "401"} <= set(login)
