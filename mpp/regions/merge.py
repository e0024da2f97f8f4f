"""A reload never silently reverts a staff decision (issue 16, finding 14; docs/adr/0002).

Each load records what the data files said, row by row and field by field (a short digest of
each value), in its `region_data.loaded` audit entry. The next load compares three things for
every row it would write: what the last load wrote (the base), what the database holds now, and
what the files say now.

- The database still holds what the last load wrote: nobody changed it, so the files win, and
  each change is an audit entry (`region_data.created`, `.updated`, `.deleted`; no actor: the
  data's `by` is "load-region").
- The database holds something else: staff changed it after that load (in the admin, through the
  API or an action: a withdrawn offering, a reassigned counter, edited hours). The staff's
  decision is kept and reported; when the files changed the same thing too, it is a conflict
  (`region_data.conflict`), reported and audited, and left for a person to settle.

A database loaded before loads kept a record has no base: there every difference from the files
is kept and reported as a conflict (nothing can tell a staff edit from an older data version),
missing rows are created, except offerings whose last audit entry is a supervisor's withdrawal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from mpp.core.models import AuditEntry, audit
from mpp.malls.models import Mall, Region

LOADED = "region_data.loaded"
BY = "load-region"


@dataclass
class Kept:
    """A staff decision the load left in place: `what` is a field name, or "row" for a row
    staff removed or added; `conflict` when the files changed the same thing since the last
    load (or nobody knows what the last load wrote)."""

    kind: str
    key: str
    what: str
    staff: str
    files: str
    conflict: bool

    def __str__(self) -> str:
        if self.what == "row":
            where = f"{self.kind} {self.key}: {self.staff}; berkas: {self.files}"
        else:
            where = (
                f"{self.kind} {self.key}, {self.what}: petugas {self.staff!r}, "
                f"berkas {self.files!r}"
            )
        return ("BENTROK " if self.conflict else "") + where


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def digest(value: Any) -> str:
    """A short fingerprint of a field's value; model instances count by primary key (the base
    is only ever compared within the database it was taken from)."""
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]


def shown(value: Any) -> str:
    """A value as a report line shows it: short, one line."""
    value = _plain(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass
class Merge:
    """The three-way decisions of one load, the changes it made and the record it leaves."""

    region_slug: str
    data_version: str
    base: dict[str, dict[str, str]] | None  # key → field → digest; None: no earlier record
    reload: bool  # False on the first load of a region: no entry per created row
    withdrawn_offerings: set[tuple[int, int]] = field(default_factory=set)  # without a base
    record: dict[str, dict[str, str]] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)

    # --- the record ---------------------------------------------------------------------------

    @classmethod
    def start(cls, region_slug: str, data_version: str) -> Merge:
        region = Region.objects.filter(slug=region_slug).first()
        base = None
        withdrawn: set[tuple[int, int]] = set()
        if region is not None:
            entry = (
                AuditEntry.objects.filter(
                    action=LOADED, object_type="malls.region", object_id=str(region.pk)
                )
                .order_by("-pk")
                .first()
            )
            if entry is not None and isinstance(entry.data.get("rows"), dict):
                fields = entry.data.get("fields", {})
                base = {
                    key: dict(zip(fields.get(key.split(":", 1)[0], []), row.split(), strict=False))
                    for key, row in entry.data["rows"].items()
                }
            else:
                withdrawn = _withdrawn_offerings()
        return cls(
            region_slug=region_slug,
            data_version=data_version,
            base=base,
            reload=region is not None,
            withdrawn_offerings=withdrawn,
        )

    def finish(self, region: Region, counts: dict[str, Any]) -> None:
        """The load's own audit entry: its counts and the record the next load compares with."""
        fields: dict[str, list[str]] = {}
        rows: dict[str, str] = {}
        for key, digests in self.record.items():
            kind = key.split(":", 1)[0]
            names = fields.setdefault(kind, sorted(digests))
            rows[key] = " ".join(digests.get(name, "-") for name in names)
        audit(
            actor=None,
            action=LOADED,
            obj=region,
            data={
                "by": BY,
                "data_version": self.data_version,
                **counts,
                "kept": sum(1 for k in self.kept if not k.conflict),
                "conflicts": sum(1 for k in self.kept if k.conflict),
                "fields": fields,
                "rows": rows,
            },
        )

    # --- one row ------------------------------------------------------------------------------

    def row(
        self,
        kind: str,
        key: str,
        obj: Model | None,
        values: dict[str, Any],
        *,
        label: str,
        mall_id: int | None = None,
        current: dict[str, Any] | None = None,
        withdrawn: bool = False,
        required: bool = False,
    ) -> dict[str, Any] | None:
        """Decide one row the files define. Returns the fields to write (all of `values` for a
        row to create; perhaps none), or None when staff removed the row. `current` gives
        values not read as attributes of `obj` (many-to-many sets); `withdrawn` says the
        audit trail knows staff removed the row (used when there is no base); a `required` row
        is created again even when staff removed it (other rows hang on it: a conflict)."""
        full_key = f"{kind}:{key}"
        wanted = {name: digest(value) for name, value in values.items()}
        self.record[full_key] = wanted
        base = self.base.get(full_key) if self.base is not None else None
        if obj is None:
            if base is None and not withdrawn:
                return dict(values)
            if required:  # other rows hang on it: made again, and said so
                self.kept.append(Kept(label, key, "row", "dihapus petugas", "dibuat lagi", True))
                self._audit_conflict(key, None, mall_id, "row", True)
                return dict(values)
            conflict = base is None or any(base.get(n) != d for n, d in wanted.items())
            self.kept.append(Kept(label, key, "row", "dihapus petugas", "ada", conflict))
            self._audit_conflict(key, None, mall_id, "row", conflict)
            return None
        now = {
            name: current[name] if current and name in current else getattr(obj, name)
            for name in values
        }
        to_set: dict[str, Any] = {}
        for name, value in values.items():
            held = digest(now[name])
            if held == wanted[name]:
                continue
            was = base.get(name) if base is not None else None
            if base is not None and (was is None or held == was):
                to_set[name] = value  # untouched since the last load (or not recorded then)
                continue
            conflict = base is None or wanted[name] != was
            self.kept.append(Kept(label, key, name, shown(now[name]), shown(value), conflict))
            self._audit_conflict(key, obj, mall_id, name, conflict)
        return to_set

    def stale(
        self, kind: str, key: str, obj: Model, *, label: str, mall_id: int | None = None
    ) -> bool:
        """A row the files no longer define (or never did): True when the load may remove it,
        that is when it still holds what the last load wrote. Otherwise it is kept: staff added
        it, or changed it since (a conflict: the files dropped what staff edited)."""
        base = self.base.get(f"{kind}:{key}") if self.base is not None else None
        if base is not None and all(digest(getattr(obj, n)) == d for n, d in base.items()):
            return True
        if self.base is None:
            staff, conflict = "ada (tanpa catatan muatan sebelumnya)", True
        elif base is None:
            staff, conflict = "ditambah petugas", False
        else:
            staff, conflict = "diubah petugas", True
        self.kept.append(Kept(label, key, "row", staff, "tidak ada", conflict))
        self._audit_conflict(key, obj, mall_id, "row", conflict)
        return False

    # --- what the load changed ------------------------------------------------------------------

    def created(self, kind: str, key: str, obj: Model, *, label: str, mall_id: int | None = None):
        self._changed("created", kind, key, obj, label, mall_id, {})

    def updated(
        self,
        kind: str,
        key: str,
        obj: Model,
        before: dict[str, Any],
        after: dict[str, Any],
        *,
        label: str,
        mall_id: int | None = None,
    ) -> None:
        fields = {name: [shown(before[name]), shown(after[name])] for name in after}
        self._changed("updated", kind, key, obj, label, mall_id, fields)

    def deleted(self, kind: str, key: str, obj: Model, *, label: str, mall_id: int | None = None):
        self._changed("deleted", kind, key, obj, label, mall_id, {})

    def _changed(
        self,
        verb: str,
        kind: str,
        key: str,
        obj: Model,
        label: str,
        mall_id: int | None,
        fields: dict[str, list[str]],
    ) -> None:
        if not self.reload:
            return  # a region's first load: its one `region_data.loaded` entry says it all
        words = {"created": "baru", "updated": "diubah", "deleted": "dihapus"}
        line = f"{words[verb]} {label} {key}"
        if fields:
            line += ": " + "; ".join(f"{n} {old!r} → {new!r}" for n, (old, new) in fields.items())
        self.changes.append(line)
        audit(  # a supervisor sees what the load did to their mall: the mall is named
            actor=None,
            action=f"region_data.{verb}",
            obj=obj,
            mall_id=_mall_of(obj, mall_id),
            data={"by": BY, "data_version": self.data_version, "key": key, "fields": fields},
        )

    def _audit_conflict(
        self, key: str, obj: Model | None, mall_id: int | None, what: str, conflict: bool
    ) -> None:
        """A conflict is in the audit trail too, on the row (or, for a row staff removed, on
        the region): the load changed nothing there, but a person has to decide."""
        if not conflict:
            return
        anchor = obj if obj is not None else Region.objects.get(slug=self.region_slug)
        audit(
            actor=None,
            action="region_data.conflict",
            obj=anchor,
            mall_id=_mall_of(anchor, mall_id),
            data={"by": BY, "data_version": self.data_version, "key": key, "field": what},
        )


def _mall_of(obj: Model, mall_id: int | None) -> int | None:
    return obj.pk if isinstance(obj, Mall) else mall_id


def _withdrawn_offerings() -> set[tuple[int, int]]:
    """(mall id, service id) of offerings whose last audit entry is a withdrawal: a database
    without a load record still knows those staff decisions from the audit trail."""
    last: dict[tuple[int, int], str] = {}
    entries = AuditEntry.objects.filter(
        action__in=["offering.added", "offering.removed"], object_type="catalog.service"
    ).order_by("pk")
    for action, service_id, mall_id in entries.values_list("action", "object_id", "mall_id"):
        if mall_id is not None:
            last[(mall_id, int(service_id))] = action
    return {pair for pair, action in last.items() if action == "offering.removed"}
