"""Every admin list opens, and sorts by each of its columns both ways: a column that follows a
relation sorts by the related model's own ordering (a mall: the MPP first). A superuser sees
every list; the regency admin sorts the mall columns it works with."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import RequestFactory
from django.urls import reverse


def _sortable_columns(model_admin: admin.ModelAdmin, request) -> list[int]:  # type: ignore[type-arg]
    """Indexes (as in the `o` parameter) of the list's columns the admin can sort by."""
    changelist: ChangeList = model_admin.get_changelist_instance(request)
    return [
        i
        for i, field in enumerate(changelist.list_display)
        if changelist.get_ordering_field(field) is not None
    ]


@pytest.mark.parametrize(
    "model_admin",
    list(admin.site._registry.values()),
    ids=lambda ma: f"{ma.model._meta.app_label}.{ma.model._meta.model_name}",
)
def test_every_list_sorts_by_each_column_both_ways(client, django_user_model, kukar, model_admin):
    user = django_user_model.objects.create_superuser("akar", password=None)
    client.force_login(user)
    meta = model_admin.model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    request = RequestFactory().get(url)
    request.user = user
    columns = _sortable_columns(model_admin, request)
    assert client.get(url).status_code == 200
    for column in columns:
        for order in (str(column), f"-{column}"):
            response = client.get(url, {"o": order})
            assert response.status_code == 200, (url, order)
