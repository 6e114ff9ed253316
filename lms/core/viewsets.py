"""Wagtail ModelViewSets whose every view is limited to the rows a user may see."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet


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


class _ClosedMixin:
    """A view the viewset turned off: its URL still exists in Wagtail, so answer 404."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


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
