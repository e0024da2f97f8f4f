"""The rollout's JSON API (issue 19's contract): GET /api/v1/rollout (api_board) and
POST /api/v1/malls/{id}/status (api_status)."""

from __future__ import annotations

from ninja import Router

from mpp.rollout.api_board import router as board_router
from mpp.rollout.api_status import router as status_router

router = Router(tags=["rollout"])
router.add_router("", board_router)
router.add_router("", status_router)
