"""The user account: signs in with a phone number (learners) or a staff name."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in; learners use their phone number as the username."""

    must_change_password = models.BooleanField(
        _("must change password at next sign-in"), default=False
    )
    township = models.ForeignKey(
        "people.Township",
        verbose_name=_("township in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisers",
        help_text=_("For township organisers: the only township whose data they may see."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def display_name(self) -> str:
        """The person's name if known, else the full or user name."""
        person = getattr(self, "person", None)
        if person is not None:
            return person.name
        return self.get_full_name() or self.username
