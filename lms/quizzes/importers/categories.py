"""Moodle category paths: `$course$/top/A/B`, with `//` standing for a slash inside a name."""

from ..models.bank import PATH_SEPARATOR

_ESCAPED_SLASH = "\ue010"
# Moodle writes a context first: $system$, $course$, $cat$ (course category), $module$ (an activity).
CONTEXTS = ("$system$", "$course$", "$cat$", "$coursecategory$", "$module$", "$user$", "$block$")


def moodle_levels(raw: str) -> list[str]:
    """The category names of a Moodle path, without its context and its 'top' level."""
    text = raw.strip().replace("//", _ESCAPED_SLASH)
    parts = [p.strip() for p in text.split("/")]
    if parts and parts[0].lower() in CONTEXTS:
        parts = parts[1:]
    parts = [p.replace(_ESCAPED_SLASH, "／") for p in parts if p]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return parts


def moodle_path(raw: str) -> str:
    """A Moodle category path as the bank writes it: names joined by '/', slashes inside a name full-width."""
    return PATH_SEPARATOR.join(moodle_levels(raw))
