"""Chinese search of courses and lessons: a plain-text copy of each page, matched by substring.

Chinese has no spaces between words, so a full-text index that splits on spaces sees a whole sentence as one
word and "廉政" never matches "加强党风廉政建设". Each course and lesson keeps its searchable text (title,
summary, the words of the lesson body) in one column, and a search matches every term as a substring there,
which works the same on SQLite and PostgreSQL.
"""

from django.db.models import Q, QuerySet
from django.utils.html import strip_tags

MAX_TERMS = 5
MAX_QUERY_LENGTH = 50
_SKIPPED_KEYS = {"type", "id", "kind", "video", "document", "image"}


def stream_words(raw) -> list[str]:
    """Every piece of text in a StreamField's raw data, tags removed (ids and block types left out)."""
    words: list[str] = []
    if isinstance(raw, str):
        text = strip_tags(raw).strip()
        if text:
            words.append(text)
    elif isinstance(raw, dict):
        for key, value in raw.items():
            if key not in _SKIPPED_KEYS:
                words.extend(stream_words(value))
    elif isinstance(raw, list | tuple):
        for value in raw:
            words.extend(stream_words(value))
    return words


def query_terms(query: str) -> list[str]:
    """The words of what the learner typed: split on spaces, at most a few, each at most 50 characters."""
    return [term[:MAX_QUERY_LENGTH] for term in (query or "").split()[:MAX_TERMS]]


def matching(queryset: QuerySet, *, query: str) -> QuerySet:
    """Rows whose searchable text contains every term of the query (no terms: nothing)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    condition = Q()
    for term in terms:
        condition &= Q(search_text__icontains=term) | Q(title__icontains=term)
    return queryset.filter(condition)
