"""GET /api/v1/jobs/{id}, the job's progress page and its file: who may follow which job."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mpp.accounts.tests.factories import bearer, token_for
from mpp.core.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall_job(cast, mall_loakulu):  # type: ignore[no-untyped-def]
    """A report job of the Loa Kulu Mini MPP, asked by its supervisor, with its file."""
    path = default_storage.save("jobs/x/laporan.pdf", ContentFile(b"%PDF-1.7 laporan"))
    return Job.objects.create(
        kind="surveys.ikm_pdf",
        status=JobStatus.DONE,
        done=1,
        total=1,
        message="Laporan siap.",
        result_file=path,
        created_by=cast.supervisor_loakulu(),
        mall_id=mall_loakulu.pk,
    )


def test_it_answers_the_status_of_a_job_to_its_author(client, cast, mall_job):
    token = token_for(client, cast.supervisor_loakulu())

    response = client.get(f"/api/v1/jobs/{mall_job.pk}", **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body | {"label": None, "status_label": None} == {
        "id": mall_job.pk,
        "kind": "surveys.ikm_pdf",
        "label": None,
        "status": "done",
        "status_label": None,
        "progress": 1,
        "total": 1,
        "message": "Laporan siap.",
        "error": "",
        "result_url": f"/tugas/{mall_job.pk}/berkas",
    }
    assert body["status_label"] == "selesai"


def test_staff_reading_the_mall_follow_its_job_and_others_get_403(client, cast, mall_job):
    for person in (cast.regency_admin(), cast.leadership()):
        client.force_login(person)
        assert client.get(f"/api/v1/jobs/{mall_job.pk}").status_code == 200
    client.force_login(cast.supervisor_mpp())  # another mall's supervisor

    response = client.get(f"/api/v1/jobs/{mall_job.pk}")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Tugas ini milik mal atau instansi lain.",
        "code": "forbidden",
    }


def test_a_tenant_officer_follows_only_their_tenants_jobs(client, cast, mall_job, mall_loakulu):
    officer = cast.officer_dukcapil()  # serves at Loa Kulu, for Disdukcapil
    client.force_login(officer)
    assert client.get(f"/api/v1/jobs/{mall_job.pk}").status_code == 403
    theirs = Job.objects.create(
        kind="surveys.ikm_pdf",
        mall_id=mall_loakulu.pk,
        tenant_id=officer.staff_profile.tenant_id,
    )
    assert client.get(f"/api/v1/jobs/{theirs.pk}").status_code == 200


def test_a_region_wide_job_is_for_the_region_wide_roles(client, cast):
    job = Job.objects.create(kind="investment.import", created_by=cast.regency_admin())
    client.force_login(cast.auditor())
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 200
    client.force_login(cast.supervisor_mpp())
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 403


def test_an_unknown_job_is_404_and_a_bad_id_400(client, cast):
    client.force_login(cast.regency_admin())

    missing = client.get("/api/v1/jobs/999999")
    bad = client.get("/api/v1/jobs/abc")
    huge = client.get(f"/api/v1/jobs/{2**63}")

    assert missing.status_code == 404
    assert missing.json() == {"detail": "Tugas tidak ditemukan.", "code": "not_found"}
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert huge.status_code == 400 and huge.json()["code"] == "invalid"


def test_without_a_sign_in_the_status_is_401(client, mall_job):
    response = client.get(f"/api/v1/jobs/{mall_job.pk}")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_progress_page_shows_the_bar_and_the_result_link(client, cast, mall_job):
    client.force_login(cast.supervisor_loakulu())

    page = client.get(f"/tugas/{mall_job.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress data-job-bar" in html and "core/job-progress.js" in html
    assert f'href="/tugas/{mall_job.pk}/berkas"' in html
    assert "<script>" not in html  # the site's CSP allows our static files only


def test_the_result_file_is_served_to_who_may_follow_the_job(client, cast, mall_job):
    client.force_login(cast.supervisor_loakulu())
    response = client.get(f"/tugas/{mall_job.pk}/berkas")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 laporan"
    assert 'filename="laporan.pdf"' in response["Content-Disposition"]
    client.force_login(cast.supervisor_mpp())
    assert client.get(f"/tugas/{mall_job.pk}/berkas").status_code == 403
    assert client.get(f"/tugas/{mall_job.pk}/").status_code == 403


def test_the_admin_lists_failed_jobs_with_their_error_and_reruns_them(
    client, cast, mall_loakulu, django_capture_on_commit_callbacks
):
    from mpp.core.models import AuditEntry

    failed = Job.objects.create(
        kind="investment.import",
        status=JobStatus.FAILED,
        error="FileNotFoundError: uploads/x/lkpm.csv",
        created_by=cast.regency_admin(),
    )
    client.force_login(cast.regency_admin())
    listing = client.get("/admin/core/job/?status__exact=failed")
    assert listing.status_code == 200
    assert "FileNotFoundError: uploads/x/lkpm.csv" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/admin/core/job/",
            {"action": "rerun_selected", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.error) == (JobStatus.QUEUED, "")
    assert len(queued) == 1  # handed to the worker when the admin's transaction commits
    assert AuditEntry.objects.filter(action="job.rerun", object_id=str(failed.pk)).exists()


def test_another_malls_supervisor_neither_sees_nor_reruns_a_job(client, cast, mall_job):
    mall_job.status = JobStatus.FAILED
    mall_job.save(update_fields=["status"])
    client.force_login(cast.supervisor_mpp())
    assert list(client.get("/admin/core/job/").context["cl"].result_list) == []
    client.post("/admin/core/job/", {"action": "rerun_selected", "_selected_action": [mall_job.pk]})
    mall_job.refresh_from_db()
    assert mall_job.status == JobStatus.FAILED
