"""Shared pieces of the project's own Wagtail admin pages."""


class TitledBreadcrumbsMixin:
    """Show the page's own title in the admin header instead of a bare "Home" breadcrumb."""

    def get_breadcrumbs_items(self):
        """The base items plus one for this page."""
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]
