"""Admin-wide: the help menu keeps only what staff can read in Chinese."""

from wagtail import hooks

# Wagtail's "What's new" and "Editor Guide" items open English pages on wagtail.org and carry the
# "(New)" badges ("2 new items in this menu") that nobody here can dismiss for good.
ENGLISH_ONLY_HELP = ("whats-new-in-wagtail-", "editor-guide")


@hooks.register("construct_help_menu")
def drop_english_help_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(ENGLISH_ONLY_HELP)]
