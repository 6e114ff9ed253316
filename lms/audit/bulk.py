"""Bulk writes that the ORM does without signals, recorded entry by entry through auditlog.

`QuerySet.update()`, `bulk_update()` and `bulk_create()` skip the model signals auditlog listens to,
so services that write tracked models in bulk call these instead: the same single bulk statement,
followed by one audit entry per row with its before/after values, themselves written in one statement.
"""

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.encoding import smart_str

from .immutability import stamp_or_refuse


def _entry(*, obj, action, changes) -> LogEntry:
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None, object_repr=smart_str(obj)[:1000],
        action=action, changes=changes, cid=get_cid(),
    )
    stamp_or_refuse(LogEntry, entry)
    return entry


def _write(entries: list[LogEntry]) -> None:
    if entries:
        LogEntry.objects.bulk_create(entries, batch_size=500)


def _diff_entries(pairs, action) -> list[LogEntry]:
    entries = []
    for old, new in pairs:
        changes = model_instance_diff(old, new)
        if changes or action == LogEntry.Action.CREATE:
            entries.append(_entry(obj=new, action=action, changes=changes or {}))
    return entries


@transaction.atomic
def bulk_update_audited(model: type[models.Model], objs: list, fields: list[str]) -> int:
    """`bulk_update` that records each changed row's before and after values."""
    if not objs:
        return 0
    before = {o.pk: o for o in model._default_manager.filter(pk__in=[o.pk for o in objs])}
    count = model._default_manager.bulk_update(objs, fields)
    if auditlog.contains(model):
        _write(_diff_entries([(before[o.pk], o) for o in objs if o.pk in before], LogEntry.Action.UPDATE))
    return count


@transaction.atomic
def update_audited(queryset: models.QuerySet, **values) -> int:
    """`queryset.update(**values)` that records each affected row's before and after values."""
    model = queryset.model
    if not auditlog.contains(model):
        return queryset.update(**values)
    rows = list(queryset.select_for_update())
    # The original conditions stay on the statement, so a racing write still makes it match nothing.
    count = queryset.filter(pk__in=[r.pk for r in rows]).update(**values)
    if count:
        after = {o.pk: o for o in model._default_manager.filter(pk__in=[r.pk for r in rows])}
        _write(_diff_entries([(row, after[row.pk]) for row in rows], LogEntry.Action.UPDATE))
    return count


@transaction.atomic
def bulk_create_audited(model: type[models.Model], objs: list, **kwargs) -> list:
    """`bulk_create` that records a creation entry for each new row."""
    created = model._default_manager.bulk_create(objs, **kwargs)
    if auditlog.contains(model):
        _write(_diff_entries([(None, o) for o in created if o.pk is not None], LogEntry.Action.CREATE))
    return created


@transaction.atomic
def m2m_add_audited(*, manager, objs: list, field: str, added: list) -> None:
    """`related_manager.add(*objs)` (e.g. group.user_set) with one entry per object, written at once."""
    with disable_auditlog():
        manager.add(*objs)
    names = [smart_str(a) for a in added]
    _write([_entry(obj=o, action=LogEntry.Action.UPDATE,
                   changes={field: {"type": "m2m", "operation": "add", "objects": names}}) for o in objs])
