"""Changes made by Celery tasks are recorded with the path 'task' and the task's name."""

from celery.signals import task_postrun, task_prerun

from .context import TASK, audit_context

_open: dict[str, object] = {}


def _task_started(task_id=None, task=None, **kwargs) -> None:
    manager = audit_context(channel=TASK, path=f"task:{getattr(task, 'name', '')}"[:200])
    manager.__enter__()
    _open[task_id] = manager


def _task_finished(task_id=None, **kwargs) -> None:
    manager = _open.pop(task_id, None)
    if manager is not None:
        manager.__exit__(None, None, None)


def connect() -> None:
    """Open an audit context around every task run (eager runs inside a request included)."""
    task_prerun.connect(_task_started, weak=False, dispatch_uid="lms_audit_task_started")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="lms_audit_task_finished")
