"""Staff create and edit trips (with destinations and itinerary) in the Wagtail admin."""

from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Trip


class TripDeleteView(DeleteView):
    """A trip whose money is in the ledger stays: refuse with a reason instead of a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("This trip cannot be deleted: its costs are already in the budget "
                                           "ledger. Cancel the trip instead, or ask the budget office to "
                                           "reverse the entries first."))
            return redirect(self.get_success_url())


class TripViewSet(ModelViewSet):
    model = Trip
    icon = "globe"
    menu_label = _("Field-study trips")
    add_to_admin_menu = True
    menu_order = 420
    search_fields = ["title"]
    list_filter = ["state"]
    list_display = [
        "title", "starts_on", "ends_on",
        Column("destinations", label=_("destinations"), accessor="destinations_display"),
        "state",
    ]
    list_export = ["title", "starts_on", "ends_on", "destinations_display", "cost_budget", "state"]
    export_filename = "trips"
    inspect_view_enabled = True
    copy_view_enabled = False
    delete_view_class = TripDeleteView


trip_viewset = TripViewSet("field_trips")


@hooks.register("register_admin_viewset")
def register_trip_viewset():
    return trip_viewset


@hooks.register("register_admin_menu_item")
def register_trip_pages_menu_item():
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Trip operations"), reverse("trips:list"), icon_name="list-ul", order=421)
