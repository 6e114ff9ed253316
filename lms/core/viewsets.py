"""Wagtail ModelViewSets whose every view is limited to the rows a user may see."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

_LABEL_ENDINGS = ("name", "title", "__str__")


def export_value(item, path: str):
    """The value at a dotted path for a spreadsheet: a missing link is blank, choices and booleans are words."""
    obj = item
    parts = path.split(".")
    for index, part in enumerate(parts):
        if obj is None:
            return ""
        last = index == len(parts) - 1
        field = _model_field(type(obj), part)
        if last and field is not None and field.choices:
            return getattr(obj, f"get_{part}_display")()
        obj = getattr(obj, part)
        if callable(obj) and not isinstance(obj, models.Model):
            obj = obj()
    if obj is None:
        return ""
    if isinstance(obj, bool):
        return _("Yes") if obj else _("No")
    if isinstance(obj, models.Model):
        return str(obj)
    return obj


def export_heading(model, path: str) -> str:
    """A spreadsheet heading in words: `person.phone` is the phone's name, `teacher.name` the teacher's."""
    parts = path.split(".")
    current = model
    labels = []
    for part in parts:
        field = _model_field(current, part)
        if field is None:
            break
        labels.append(field.verbose_name)
        current = field.related_model if field.is_relation else None
        if current is None:
            break
    if not labels:
        return path
    if len(parts) > 1 and parts[-1] in _LABEL_ENDINGS:
        label = labels[min(len(parts) - 2, len(labels) - 1)]
    else:
        label = labels[-1]
    return capfirst(str(label))


def display_words(value):
    """What a cell shows: nothing for an empty value, 是/否 for a boolean, never "None" or "True"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


class WordsColumn(Column):
    """A list column that shows booleans as words and empty values as blank."""

    def get_value(self, instance):
        """The cell's value in words."""
        return display_words(super().get_value(instance))


def _model_field(model, name):
    if model is None or not hasattr(model, "_meta"):
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class _ScopedObjectMixin:
    """Look objects up in the scoped queryset, so other rows are 404, not hidden."""

    scope = None

    def _scoped(self):
        return self.scope(user=self.request.user)

    def get_field_display_value(self, field_name, field):
        """Inspect pages show "-" for an empty value (a missing file too) and 是/否 for a boolean."""
        raw = getattr(self.object, field_name, None) if field is not None else None
        if field is not None and not field.many_to_many and (raw is None or raw == "" or
                                                             (isinstance(raw, FieldFile) and not raw)):
            return "-"
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "-"
        return display_words(value)

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None and queryset is None:
            return self.object
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk")) or getattr(self, "pk", None)
        if pk is None and self.args:
            pk = self.args[0]
        return get_object_or_404(self._scoped(), pk=unquote(str(pk)))


class _ClosedMixin:
    """A view the viewset turned off: its URL still exists in Wagtail, so answer 404."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class _ScopedIndexMixin:
    scope = None

    def get_base_queryset(self):
        return self.scope(user=self.request.user)

    def _get_custom_column(self, field_name, column_class=WordsColumn, **kwargs):
        return super()._get_custom_column(field_name, column_class=column_class, **kwargs)

    def to_row_dict(self, item):
        """Each exported value, blank where a link is empty (a session without a teacher)."""
        return {field: export_value(item, field) for field in self.list_export}

    def get_heading(self, queryset, field):
        """Headings in words, never field paths."""
        override = self.export_headings.get(field)
        if override:
            return str(override)
        return export_heading(queryset.model, field)


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose list, export, inspect, edit, delete and history views use `scope(user=...)`."""

    scope = None
    inspect_view_enabled = True
    copy_view_enabled = False

    _object_views = ("edit", "delete", "inspect", "history", "usage")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = staticmethod(type(self).scope)
        self.index_view_class = type(
            f"Scoped{self.index_view_class.__name__}", (_ScopedIndexMixin, self.index_view_class), {"scope": scope}
        )
        if not getattr(self, "add_view_enabled", True):
            self.add_view_class = type(f"Closed{self.add_view_class.__name__}", (_ClosedMixin, self.add_view_class), {})
        for name in self._object_views:
            base = getattr(self, f"{name}_view_class")
            wrapped = type(f"Scoped{base.__name__}", (_ScopedObjectMixin, base), {"scope": scope})
            setattr(self, f"{name}_view_class", wrapped)


class _CreateNeedsFormMixin:
    """Wagtail's chooser answers a POST to its create URL with a 500 when the model has no creation form."""

    def post(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().post(request, *args, **kwargs)


class SafeSnippetChooserViewSet(SnippetChooserViewSet):
    """The snippet chooser, whose create URL is 404 when there is nothing to create with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.create_view_class = type(f"Safe{self.create_view_class.__name__}",
                                      (_CreateNeedsFormMixin, self.create_view_class), {})


class SafeSnippetViewSet(SnippetViewSet):
    """A SnippetViewSet whose chooser never fails on odd posts."""

    chooser_viewset_class = SafeSnippetChooserViewSet
