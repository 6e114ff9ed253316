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
