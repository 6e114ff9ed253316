"""Admin chrome of the project: no links to Wagtail's own release notes and guides in the staff menu."""

from wagtail import hooks

_WAGTAIL_RELEASE_LINKS = ("whats-new-in-wagtail-", "editor-guide")


@hooks.register("construct_help_menu")
def hide_wagtail_release_links(request, menu_items):
    """Staff need the school's help, not Wagtail's "What's new in Wagtail 8.0" and its editor guide."""
    menu_items[:] = [item for item in menu_items if not item.name.startswith(_WAGTAIL_RELEASE_LINKS)]
