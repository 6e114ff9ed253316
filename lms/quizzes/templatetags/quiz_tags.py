"""{% quiz_links page %}: the quizzes of a course or lesson page with the signed-in learner's results."""

from django import template

from ..selectors import quizzes_for_page

register = template.Library()


@register.inclusion_tag("quizzes/includes/quiz_links.html", takes_context=True)
def quiz_links(context, page):
    """Render the page's published quizzes; nothing when it has none."""
    request = context.get("request")
    if request is None or page is None:
        return {"quizzes": []}
    return {"quizzes": quizzes_for_page(page=page, user=request.user)}


@register.filter
def clock(seconds) -> str:
    """Seconds as a clock a learner reads at a glance: 1:05:09 or 12:34."""
    total = max(int(seconds or 0), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
