"""Demo data: every cadre in office has a sign-in account (the demo password, to be changed at first sign-in)."""

from django.contrib.auth.hashers import make_password

from lms.accounts.demo import PASSWORD
from lms.accounts.models import User

from .models import Person
from .sign_in_accounts import accounts_issue


def build(*, stdout) -> None:
    """Issue the missing accounts; demo readers sign in as any cadre with the demo password."""
    people = Person.objects.filter(is_active=True, user__isnull=True)
    if not people.exists():
        stdout.write("sign-in accounts: every cadre already has one")
        return
    result = accounts_issue(people=people, by=None)
    User.objects.filter(username__in=[a.phone for a in result.issued]).update(password=make_password(PASSWORD))
    stdout.write(f"sign-in accounts: {len(result.issued)} issued (password {PASSWORD}, changed at first sign-in), "
                 f"{len(result.skipped)} left out")
