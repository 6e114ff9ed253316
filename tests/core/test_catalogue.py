"""The zh-hans catalogue is complete, compiled, and matches what the code and templates ask for."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.tools import require_tool

LOCALE = settings.BASE_DIR / "lms" / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = r"%\(\w+\)[sd]|%[sd]|\{\w*\}"


def _catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_message_has_a_chinese_translation():
    untranslated = [e.msgid for e in _catalogue() if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert untranslated == []


def test_placeholders_survive_translation():
    import re

    broken = []
    for entry in _catalogue():
        source = entry.msgid_plural or entry.msgid
        target = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if sorted(re.findall(PLACEHOLDER, source)) != sorted(re.findall(PLACEHOLDER, target)):
            broken.append(entry.msgid)
    assert broken == []


def test_the_compiled_catalogue_is_the_current_one():
    def pairs(entries):
        return {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in entries if e.msgid}

    compiled = pairs(polib.mofile(str(LOCALE / "django.mo")))
    source = pairs(_catalogue())
    stale = {key for key, value in source.items() if compiled.get(key) != value}
    assert stale == set(), "run `make messages` to recompile django.mo"


def test_the_interface_speaks_chinese_by_default():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("My learning") == "我的学习"


@pytest.mark.slow
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path, monkeypatch):
    require_tool(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    for folder in ("lms", "courses", "templates"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "migrations", "locale*"))
    (tmp_path / "lms" / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "lms" / "locale"]):
        call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    extracted_po = polib.pofile(str(tmp_path / "lms/locale/zh_Hans/LC_MESSAGES/django.po"))
    extracted = {(e.msgctxt, e.msgid) for e in extracted_po}
    known = {(e.msgctxt, e.msgid) for e in _catalogue() if not e.obsolete}
    assert sorted(extracted - known, key=str) == [], "run `make messages` and translate the new strings"
