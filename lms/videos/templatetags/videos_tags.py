"""Template helpers for the lesson video player."""

from django import template
from django.urls import reverse

from ..selectors import video_sources, video_watch_progress

register = template.Library()


@register.simple_tag(takes_context=True)
def video_player_data(context, video):
    """Sources, resume position and watched share of a video for the current user."""
    if video is None or not getattr(video, "is_playable", False):
        return None
    user = context.get("user") or getattr(context.get("request"), "user", None)
    status = video_watch_progress(user=user, video=video)
    return {
        "sources": video_sources(video=video),
        "status": status,
        "report_url": reverse("videos:report", kwargs={"pk": video.pk}),
    }


@register.filter
def seconds_clock(value) -> str:
    """Seconds as h:mm:ss or m:ss."""
    try:
        total = int(float(value or 0))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
