"""Pages of the Mini MPP rollout, under /persiapan/ (each part's own URL module)."""

from __future__ import annotations

from mpp.rollout import urls_board, urls_readiness, urls_roster, urls_training

app_name = "rollout"

urlpatterns = [
    *urls_readiness.urlpatterns,
    *urls_roster.urlpatterns,
    *urls_training.urlpatterns,
    *urls_board.urlpatterns,
]
