"""django-sendfile2's streaming backend for development, also usable by Wagtail's document view.

Wagtail hands the backend a str path, django-sendfile2's `simple` backend wants a Path; this adapts one to
the other so one SENDFILE_BACKEND setting serves both.
"""

from pathlib import Path

from django_sendfile.backends import simple


def sendfile(request, filename, **kwargs):
    """Stream the file at `filename` (str or Path)."""
    return simple.sendfile(request, Path(filename), **kwargs)
