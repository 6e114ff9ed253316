"""Question text formats: Moodle's html, moodle (auto), plain and markdown, kept as sanitised HTML or text."""

import html
import re

import markdown
import nh3
from django.utils.html import strip_tags

# What a question, an option or a feedback may hold: formatting, lists, code, links, images and tables.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "span", "div", "ul", "ol", "li", "pre",
    "code", "blockquote", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"}, "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
FORMATS = ("html", "moodle", "plain", "markdown")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_BREAKS = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h[1-6]|/pre|/tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def sanitise(value: str) -> str:
    """HTML reduced to the allow-list, with scripts, styles and event handlers gone."""
    return nh3.clean(value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags={"script", "style"}, link_rel="noopener noreferrer").strip()


def looks_like_html(value: str) -> bool:
    """Whether stored text holds tags (imported rich text) rather than plain text."""
    return bool(_TAG.search(value or ""))


def html_to_text(value: str) -> str:
    """Keep line breaks and characters, drop tags and scripts: for answers compared as text."""
    value = re.sub(r"<(script|style)\b.*?</\1\s*>", "", value, flags=re.IGNORECASE | re.DOTALL)
    value = _BREAKS.sub("\n", value)
    text = html.unescape(strip_tags(value))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def split_format(value: str, default: str = "moodle") -> tuple[str, str]:
    """A leading [html]/[moodle]/[plain]/[markdown] marker taken off, and the format it names."""
    match = _FORMAT.match(value)
    if match:
        return match.group(1).lower(), value[match.end():]
    return default, value


def to_stored(value: str, fmt: str) -> str:
    """Text in a Moodle format as the bank stores it: sanitised HTML for html and markdown, else plain text."""
    value = value.strip()
    if fmt == "markdown":
        return sanitise(markdown.markdown(value))
    if fmt in ("html", "moodle_auto_format") or (fmt == "moodle" and looks_like_html(value)):
        cleaned = sanitise(value)
        return cleaned if looks_like_html(cleaned) else html.unescape(cleaned)
    return value


def to_plain(value: str, fmt: str) -> str:
    """Text in a Moodle format as plain text, for answers the learner types."""
    if fmt in ("html", "moodle_auto_format", "markdown") or looks_like_html(value):
        source = markdown.markdown(value) if fmt == "markdown" else value
        return html_to_text(source)
    return value.strip()
