"""Personal data minimisation (等保 2.0): who sees full mobile numbers and ethnicity."""

from lms.accounts.roles import STAFF, user_has_role


def mask_phone(phone: str) -> str:
    """138****5678: the first three and the last four digits."""
    if not phone:
        return ""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def sees_phone_numbers(user) -> bool:
    """Party school staff contact the learners, so they see full numbers; other roles see them masked."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, STAFF))


def sees_ethnicity(user) -> bool:
    """Ethnicity is shown only to Party school staff."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, STAFF))


def phone_shown(*, user, phone: str, owner_user_id: int | None = None) -> str:
    """The number as this user may see it: whole for staff and for its owner, masked otherwise."""
    if sees_phone_numbers(user) or (owner_user_id is not None and owner_user_id == getattr(user, "pk", None)):
        return phone
    return mask_phone(phone)
