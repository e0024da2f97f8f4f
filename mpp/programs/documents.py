"""The couple's side of the document checklist: upload an item, or say it will be brought to
the KUA's check (issue 20). The KUA's check of each item is the KUA's part.

An uploaded file is a PDF, a JPEG or a PNG, known by its first bytes (never by its name or
the browser's word), bounded by its size before a byte of it is read (DOCUMENT_MAX_BYTES; the
request itself by settings.MPP_UPLOAD_MAX_BYTES in core.sheets.BoundedUploadHandler). It is
stored with default_storage under programs/<registration code>/<random>.<ext>: the couple's
file name is kept only as a label (Document.file_name), never as a path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.models import Document, Registration

# A phone photo of a document is 1–4 MB; a scanned PDF of a few pages less.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# The couple may still complete their checklist while the KUA has not approved it.
OPEN_STATUSES = (Registration.Status.SUBMITTED, Registration.Status.RETURNED)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
JPEG = FileKind("image/jpeg", "jpg")
PNG = FileKind("image/png", "png")

# A file's "magic": the first bytes of each type we keep.
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
BY_CONTENT_TYPE = {kind.content_type: kind for _magic, kind in _MAGIC}


def attach_document(
    *, document: Document, upload: Any, acting_user: object | None = None
) -> Document:
    """Store `upload` as the file of one checklist item, which becomes "uploaded".

    Refuses (ProgramRefused) a file over DOCUMENT_MAX_BYTES (before reading it), one that is
    not a PDF/JPEG/PNG by its first bytes, a registration no longer submitted or returned, and
    an item the KUA has accepted. A replaced file is deleted once the change is committed; a
    stored file is deleted again when the change fails."""
    kind = _read_kind(upload)
    _check_open(document)  # early, before storing; checked again under the lock
    stored = _store(document.registration, kind, upload)
    try:
        with write_transaction():
            locked = _locked(document)
            previous = locked.file
            locked.status = Document.Status.UPLOADED
            locked.file = stored
            locked.file_name = _display_name(upload)
            locked.file_type = kind.content_type
            locked.checked_by, locked.checked_at = None, None  # a new file is not yet checked
            locked.save(
                update_fields=[
                    "status", "file", "file_name", "file_type", "checked_by", "checked_at"
                ]
            )  # fmt: skip
            audit(
                actor=acting_user,
                action="programs.document.uploaded",
                obj=locked,
                mall_id=locked.registration.programme.mall_id,
                data={
                    "code": locked.registration.code,
                    "kind": locked.kind,
                    "who": locked.who,
                    "file": stored,
                    "type": kind.content_type,
                },
            )
            if previous and previous != stored:
                transaction.on_commit(lambda: default_storage.delete(previous))
    except Exception:
        default_storage.delete(stored)  # nothing refers to it
        raise
    return locked


def mark_brought(*, document: Document, acting_user: object | None = None) -> Document:
    """Say that one checklist item will be brought to the KUA's check ("dibawa").

    Refuses a registration no longer submitted or returned, and an item already accepted."""
    _check_open(document)
    with write_transaction():
        locked = _locked(document)
        before = locked.status
        locked.status = Document.Status.BROUGHT
        locked.checked_by, locked.checked_at = None, None
        locked.save(update_fields=["status", "checked_by", "checked_at"])
        audit(
            actor=acting_user,
            action="programs.document.brought",
            obj=locked,
            mall_id=locked.registration.programme.mall_id,
            data={
                "code": locked.registration.code,
                "kind": locked.kind,
                "who": locked.who,
                "from": before,
            },
        )
    return locked


def resubmit_registration(
    *, registration: Registration, acting_user: object | None = None
) -> Registration:
    """Send a returned registration back to the KUA once nothing on its checklist is missing
    or rejected any more (each item uploaded again or to be brought)."""
    with write_transaction():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.RETURNED:
            raise ProgramRefused(
                _("Pendaftaran ini tidak sedang dikembalikan, jadi tidak perlu dikirim ulang."),
                code=ProgramCode.BAD_STEP,
                status=409,
            )
        open_items = locked.documents.filter(
            status__in=(Document.Status.MISSING, Document.Status.REJECTED)
        ).count()
        if open_items:
            raise ProgramRefused(
                _(
                    "Masih ada %(n)d dokumen yang belum diunggah atau ditandai dibawa. "
                    "Lengkapi dahulu, lalu kirim ulang."
                )
                % {"n": open_items},
                code=ProgramCode.DOCUMENTS_INCOMPLETE,
            )
        locked.status = Registration.Status.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        audit(
            actor=acting_user,
            action="programs.registration.resubmitted",
            obj=locked,
            mall_id=registration.programme.mall_id,
            data={"code": locked.code},
        )
    return locked


def may_change(document: Document) -> bool:
    """Whether the couple may still upload or mark this item (what the page offers)."""
    return (
        document.registration.status in OPEN_STATUSES
        and document.status != Document.Status.ACCEPTED
    )


# --- internals ------------------------------------------------------------------------------


def _locked(document: Document) -> Document:
    """The item and its registration, locked, checked again: the KUA may have decided on the
    registration between the page and this write."""
    Registration.objects.select_for_update().filter(pk=document.registration_id).first()
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("registration", "registration__programme")
        .get(pk=document.pk)
    )
    _check_open(locked)
    return locked


def _check_open(document: Document) -> None:
    if document.registration.status not in OPEN_STATUSES:
        raise ProgramRefused(
            _(
                "Pendaftaran ini sudah %(s)s: dokumennya tidak dapat diubah lagi dari halaman ini. "
                "Hubungi KUA bila ada yang perlu diperbaiki."
            )
            % {"s": document.registration.get_status_display().lower()},
            code=ProgramCode.BAD_STEP,
            status=409,
        )
    if document.status == Document.Status.ACCEPTED:
        raise ProgramRefused(
            _("“%(d)s” sudah diterima KUA dan tidak perlu diubah.")
            % {"d": document.get_kind_display()},
            code=ProgramCode.BAD_STEP,
            status=409,
        )


def _too_large(size: int) -> ProgramRefused:
    return ProgramRefused(
        _("Berkas terlalu besar: %(size)s, paling banyak %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)},
        code=ProgramCode.FILE_TOO_LARGE,
    )


def _read_kind(upload: Any) -> FileKind:
    """The kind of an uploaded file: refused by its size before it is read, then by its first
    bytes when it is not a PDF, JPEG or PNG."""
    size = getattr(upload, "size", None)
    if size is None or size > DOCUMENT_MAX_BYTES:
        raise _too_large(size or 0)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if found is None:
        raise ProgramRefused(
            _("Berkas harus PDF, JPEG, atau PNG; berkas yang dikirim bukan salah satunya."),
            code=ProgramCode.FILE_TYPE,
        )
    return found


def _store(registration: Registration, kind: FileKind, upload: Any) -> str:
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)  # its size may have lied: never more than this
    if len(data) > DOCUMENT_MAX_BYTES:
        raise _too_large(len(data))
    path = f"programs/{registration.code}/{uuid.uuid4().hex}.{kind.extension}"
    return str(default_storage.save(path, ContentFile(data)))


def _display_name(upload: Any) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\\", "/")
    return PurePath(name).name[:160]
