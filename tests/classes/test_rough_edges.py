"""Server errors and rough edges seen by users: no teacher, export headings, None/True in admin pages."""

from tests.classes.conftest import make_session


def _csv(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_session_list_and_export_without_teacher(client, running_class, staff_user):
    make_session(running_class, teacher=None)
    client.force_login(staff_user)
    assert client.get("/admin/classes/session/").status_code == 200
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/admin/classes/session/?export={fmt}")
        assert response.status_code == 200, fmt
    body = _csv(client, "/admin/classes/session/?export=csv")
    heading = body.splitlines()[0]
    assert "training_class.name" not in heading and "teacher.name" not in heading


def test_enrolment_export_headings_are_words(client, running_class, staff_user):
    client.force_login(staff_user)
    body = _csv(client, "/admin/classes/enrolment/?export=csv")
    heading = body.splitlines()[0]
    assert "person.name" not in heading and "person.phone" not in heading


def _visible_words(html: str) -> set[str]:
    import re

    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return set(text.split())


def test_admin_lists_and_inspect_pages_never_show_none_or_true(client, running_class, staff_user, county):
    session = make_session(running_class, teacher=None)
    person = county["people"]["east"][0]
    client.force_login(staff_user)
    pages = ["/admin/classes/session/", f"/admin/classes/session/inspect/{session.pk}/",
             "/admin/classes/class/", f"/admin/classes/class/inspect/{running_class.pk}/",
             f"/admin/person/inspect/{person.pk}/", "/admin/classes/enrolment/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        words = _visible_words(response.content.decode())
        assert not words & {"None", "True", "False"}, url


def test_help_menu_has_no_wagtail_release_notes(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/admin/").content.decode()
    assert "What's new in Wagtail" not in html and "Editor Guide" not in html
