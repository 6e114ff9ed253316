"""Bulk writes that the ORM does without signals, recorded entry by entry through auditlog.

`QuerySet.update()`, `bulk_update()` and `bulk_create()` skip the model signals auditlog listens to,
so services that write tracked models in bulk call these instead: the same single bulk statement,
followed by one audit entry per row with its before/after values.
"""

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models, transaction


def _log(*, old, new, action) -> None:
    changes = model_instance_diff(old, new)
    if changes or action == LogEntry.Action.CREATE:
        LogEntry.objects.log_create(new, action=action, changes=changes or {}, force_log=True)


@transaction.atomic
def bulk_update_audited(model: type[models.Model], objs: list, fields: list[str]) -> int:
    """`bulk_update` that records each changed row's before and after values."""
    if not objs:
        return 0
    before = {o.pk: o for o in model._default_manager.filter(pk__in=[o.pk for o in objs])}
    count = model._default_manager.bulk_update(objs, fields)
    if auditlog.contains(model):
        for obj in objs:
            if obj.pk in before:
                _log(old=before[obj.pk], new=obj, action=LogEntry.Action.UPDATE)
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
        for row in rows:
            _log(old=row, new=after[row.pk], action=LogEntry.Action.UPDATE)
    return count


@transaction.atomic
def bulk_create_audited(model: type[models.Model], objs: list, **kwargs) -> list:
    """`bulk_create` that records a creation entry for each new row."""
    created = model._default_manager.bulk_create(objs, **kwargs)
    if auditlog.contains(model):
        for obj in created:
            if obj.pk is None:
                continue
            _log(old=None, new=obj, action=LogEntry.Action.CREATE)
    return created
