"""Training-record entries (学习档案) for issued, unrevoked certificates."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Certificate


def entries(*, person, year: int | None) -> list:
    """One RecordEntry per valid certificate of the person (in the year, when given)."""
    from lms.classes.records import RecordEntry

    qs = Certificate.objects.filter(person=person, revoked_at__isnull=True).order_by("issued_at", "pk")
    if year is not None:
        qs = qs.filter(year=year)
    return [
        RecordEntry(
            kind="certificate",
            title=_("Certificate: %(name)s") % {"name": certificate.class_name},
            date=certificate.ends_on,
            credit_hours=Decimal("0"),
            category="concentrated",
            detail=certificate.serial,
            url=reverse("certificates:download", kwargs={"pk": certificate.pk}),
        )
        for certificate in qs
    ]
