"""The readiness checklist of each Mini MPP: its items made from the region's template, and the
two steps that change them — an owner marks progress (with evidence where the template asks
for it), DPMPTSP sets an item's owner and due date. Every step is one write transaction with
its audit entry (docs/adr/0031).

Evidence is a PDF (a document), a JPEG or PNG (a photo), or a decree's number and date. An
uploaded file is bounded by its size before a byte of it is read (settings.MPP_UPLOAD_MAX_BYTES)
and its type is read from its first bytes, never from its name or the browser's word. It is
stored with default_storage under rollout/evidence/<mall id>/<random>.<ext> and served only to
those who read the rollout (views_readiness.evidence).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.malls.models import Mall
from mpp.rollout.exceptions import RolloutCode, RolloutRefused
from mpp.rollout.models import Agency, ChecklistTemplateItem, Evidence, ReadinessItem

Status = ReadinessItem.Status


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
JPEG = FileKind("image/jpeg", "jpg", "JPEG")
PNG = FileKind("image/png", "png", "PNG")

# The first bytes of each type we keep (a file's "magic"): a name or a browser's Content-Type
# says nothing of what is inside.
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

# What each kind of evidence the template asks for accepts.
_ACCEPTED: dict[str, tuple[FileKind, ...]] = {
    Evidence.NONE: (PDF, JPEG, PNG),
    Evidence.DOCUMENT: (PDF,),
    Evidence.PHOTO: (JPEG, PNG),
    Evidence.DECREE: (PDF, JPEG, PNG),  # a scan of the decree beside its number and date
}

BY_CONTENT_TYPE = {kind.content_type: kind for _magic, kind in _MAGIC}


def ensure_items(mall: Mall) -> int:
    """Create the readiness items a Mini MPP lacks from its region's template (owner and due
    date copied); returns how many were created. An MPP has no checklist: 0."""
    if mall.kind != Mall.Kind.MINI_MPP:
        return 0
    have = set(ReadinessItem.objects.filter(mall=mall).values_list("template_id", flat=True))
    missing = [
        ReadinessItem(mall=mall, template=t, owner_id=t.owner_id, due_date=t.due_date)
        for t in ChecklistTemplateItem.objects.filter(region_id=mall.region_id).order_by(
            "order", "code"
        )
        if t.pk not in have
    ]
    ReadinessItem.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def items_of(mall: Mall) -> list[ReadinessItem]:
    """A Mini MPP's items in the template's order, with what a page shows of each."""
    return list(
        ReadinessItem.objects.filter(mall=mall).select_related(
            "template", "owner", "done_by", "mall"
        )
    )


def open_mandatory_items(mall: Mall) -> list[ReadinessItem]:
    """The mandatory items of `mall` not yet done: what stands between it and "operating"."""
    return list(
        ReadinessItem.objects.filter(mall=mall, template__mandatory=True)
        .exclude(status=Status.DONE)
        .select_related("template", "owner")
    )


def mark_item(
    item: ReadinessItem,
    *,
    actor: Any,
    status: str,
    note: str = "",
    evidence_upload: Any = None,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    detail: str = "",
) -> ReadinessItem:
    """Record an item's progress: its status, note and detail, and evidence (a file, or a
    decree's number and date: empty values keep what the item already has).

    Invariants: an item is DONE only with the evidence its template asks for (a PDF document, a
    JPEG/PNG photo, a decree's number and a date not in the future); done_by and done_at say who
    marked it done and when, and are cleared when it is no longer done; an uploaded file is
    bounded and type-checked before it is stored. Access (access.may_update_item) is the
    caller's: views and API check it first."""
    if status not in Status.values:
        raise RolloutRefused(_("Status butir tidak dikenal."), RolloutCode.BAD_STATUS)
    template = item.template
    kind = _read_evidence(evidence_upload, template) if evidence_upload is not None else None
    today = clock.now().astimezone(item.mall.zone).date()
    if decree_date is not None and decree_date > today:
        raise RolloutRefused(
            _("Tanggal keputusan (%(d)s) tidak boleh setelah hari ini.")
            % {"d": date_format(decree_date, "j F Y")},
            RolloutCode.DECREE_DATE_FUTURE,
        )
    number = decree_number.strip() or item.decree_number
    date = decree_date or item.decree_date
    has_file = kind is not None or bool(item.evidence_file)
    current_type = kind.content_type if kind else item.evidence_type
    if status == Status.DONE:
        _require_evidence(
            template, has_file=has_file, file_type=current_type, number=number, date=date
        )
    stored = _store(item, kind, evidence_upload) if kind is not None else None
    try:
        with write_transaction():
            locked = (
                ReadinessItem.objects.select_for_update(of=("self",), no_key=True)
                .select_related("template", "owner", "mall")
                .get(pk=item.pk)
            )
            before = locked.status
            locked.status = status
            locked.note, _masked = mask_personal_data(note.strip())
            locked.detail = detail.strip()
            locked.decree_number, locked.decree_date = number, date
            if stored is not None:
                locked.evidence_file = stored
                locked.evidence_name = _display_name(evidence_upload)
                locked.evidence_type = kind.content_type  # type: ignore[union-attr]
            if status == Status.DONE:
                if before != Status.DONE or locked.done_at is None:
                    locked.done_by = actor if getattr(actor, "pk", None) else None
                    locked.done_at = clock.now()
            else:
                locked.done_by, locked.done_at = None, None
            locked.save()
            audit(
                actor=actor,
                action="rollout.item_marked",
                obj=locked,
                mall_id=locked.mall_id,
                data={
                    "code": template.code,
                    "from": before,
                    "to": status,
                    "evidence_file": stored or "",
                    "decree_number": locked.decree_number,
                    "decree_date": locked.decree_date.isoformat() if locked.decree_date else "",
                },
            )
    except Exception:
        if stored is not None:
            default_storage.delete(stored)  # nothing refers to it
        raise
    return locked


def plan_item(
    item: ReadinessItem, *, actor: Any, owner: Agency | None = None, due_date: dt.date | None = None
) -> ReadinessItem:
    """DPMPTSP sets an item's owner agency and due date (audited). A due date before the day
    the item was created is refused: nobody can be late before the work was asked for."""
    created = item.created_at.astimezone(item.mall.zone).date()
    if due_date is not None and due_date < created:
        raise RolloutRefused(
            _(
                "Tenggat %(due)s tidak boleh sebelum tanggal butir ini dibuat (%(created)s). "
                "Pilih tanggal %(created)s atau sesudahnya."
            )
            % {"due": date_format(due_date, "j F Y"), "created": date_format(created, "j F Y")},
            RolloutCode.DUE_BEFORE_CREATION,
        )
    if owner is not None and owner.region_id != item.mall.region_id:
        raise RolloutRefused(
            _("Instansi pemilik harus dari wilayah yang sama."), RolloutCode.OWNER_OTHER_REGION
        )
    with write_transaction():
        locked = (
            ReadinessItem.objects.select_for_update(of=("self",), no_key=True)
            .select_related("template", "owner", "mall")
            .get(pk=item.pk)
        )
        before = {"owner": locked.owner.code, "due_date": locked.due_date.isoformat()}
        if owner is not None:
            locked.owner = owner
        if due_date is not None:
            locked.due_date = due_date
        locked.save(update_fields=["owner", "due_date", "updated_at"])
        audit(
            actor=actor,
            action="rollout.item_planned",
            obj=locked,
            mall_id=locked.mall_id,
            data={
                "code": locked.template.code,
                "from": before,
                "to": {"owner": locked.owner.code, "due_date": locked.due_date.isoformat()},
            },
        )
    return locked


# --- evidence -------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    return int(settings.MPP_UPLOAD_MAX_BYTES)


def _read_evidence(upload: Any, template: ChecklistTemplateItem) -> FileKind:
    """The kind of an uploaded file, refused by its size before it is read and by its first
    bytes when it is not one the template accepts."""
    limit = evidence_max_bytes()
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise _too_large(size or 0, limit)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    accepted = _ACCEPTED.get(template.evidence, _ACCEPTED[Evidence.NONE])
    if found is None or found not in accepted:
        raise RolloutRefused(
            _("Berkas bukti untuk butir ini harus %(types)s; berkas yang dikirim bukan itu.")
            % {"types": _either(k.label for k in accepted)},
            RolloutCode.EVIDENCE_TYPE,
        )
    return found


def _either(labels: Any) -> str:
    """ "PDF", "JPEG atau PNG", "PDF, JPEG atau PNG"."""
    names = list(labels)
    if len(names) == 1:
        return str(names[0])
    return _("%(first)s atau %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _too_large(size: int, limit: int) -> RolloutRefused:
    return RolloutRefused(
        _("Berkas bukti terlalu besar: %(size)s, paling banyak %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        RolloutCode.EVIDENCE_TOO_LARGE,
    )


def _store(item: ReadinessItem, kind: FileKind, upload: Any) -> str:
    limit = evidence_max_bytes()
    upload.seek(0)
    data = upload.read(limit + 1)  # its size may have lied: never more than the limit
    if len(data) > limit:
        raise _too_large(len(data), limit)
    path = f"rollout/evidence/{item.mall_id}/{uuid.uuid4().hex}.{kind.extension}"
    return str(default_storage.save(path, ContentFile(data)))


def _display_name(upload: Any) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\\", "/")
    return PurePath(name).name[:160]


def _require_evidence(
    template: ChecklistTemplateItem,
    *,
    has_file: bool,
    file_type: str,
    number: str,
    date: dt.date | None,
) -> None:
    """Refuse DONE without the evidence `template` asks for, saying what is missing."""
    if template.evidence == Evidence.DECREE and (not number or date is None):
        raise RolloutRefused(
            _("“%(t)s” hanya dapat ditandai selesai dengan nomor dan tanggal keputusannya.")
            % {"t": template.title},
            RolloutCode.EVIDENCE_REQUIRED,
        )
    if template.evidence in (Evidence.DOCUMENT, Evidence.PHOTO):
        accepted = {k.content_type for k in _ACCEPTED[template.evidence]}
        if not has_file or file_type not in accepted:
            what = _("dokumen PDF") if template.evidence == Evidence.DOCUMENT else _("foto")
            raise RolloutRefused(
                _("“%(t)s” hanya dapat ditandai selesai dengan bukti berupa %(what)s.")
                % {"t": template.title, "what": what},
                RolloutCode.EVIDENCE_REQUIRED,
            )
