"""Wagtail ModelViewSets whose every view is limited to the rows a user may see."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from wagtail.admin.viewsets.model import ModelViewSet


class _ScopedObjectMixin:
    """Look objects up in the scoped queryset, so other rows are 404, not hidden."""

    scope = None

    def _scoped(self):
        return self.scope(user=self.request.user)

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None and queryset is None:
            return self.object
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk")) or getattr(self, "pk", None)
        if pk is None and self.args:
            pk = self.args[0]
        return get_object_or_404(self._scoped(), pk=unquote(str(pk)))


class _ScopedIndexMixin:
    scope = None

    def get_base_queryset(self):
        return self.scope(user=self.request.user)


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
        for name in self._object_views:
            base = getattr(self, f"{name}_view_class")
            wrapped = type(f"Scoped{base.__name__}", (_ScopedObjectMixin, base), {"scope": scope})
            setattr(self, f"{name}_view_class", wrapped)
