from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "lms.trips"
    label = "trips"
    verbose_name = _("Field-study trips")
