"""The certificate PDF: exact Chinese text back, the CJK font embedded, a page looked at as PNG."""

import io
import re
import subprocess

import pytest

from lms.certificates import services
from lms.certificates.models import ClassCertificateRules, Design
from lms.certificates.pdf import certificate_html
from lms.people.selectors import school_name
from tests.certificates.conftest import enrol, make_class, poppler


def _pages(path) -> int:
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(pdftotext, path) -> str:
    command = [pdftotext, "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _issue(person, training_class, tmp_path):
    certificate, _created = services.certificate_issue(training_class=training_class, person=person)
    path = tmp_path / f"{certificate.number}.pdf"
    path.write_bytes(certificate.pdf.read())
    return certificate, path


@pytest.mark.parametrize("design", Design.values)
def test_pdf_text_font_and_rendered_page(county, fake, tmp_path, artifacts_dir, design):
    pdffonts, pdftotext, pdftoppm = poppler("pdffonts"), poppler("pdftotext"), poppler("pdftoppm")
    person = county["people"]["east"][0]
    person.name = "吉𠮷㛃"
    person.save(update_fields=["name"])
    training_class = make_class(name="2026年村党组织书记“三议一表决”专题培训班")
    enrol(training_class, [person])
    ClassCertificateRules.objects.create(training_class=training_class, design=design)
    certificate, path = _issue(person, training_class, tmp_path)

    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
    listed = fonts.splitlines()[2:]
    # Every font is the embedded CJK one: no unembedded Helvetica left from the canvas's base font either.
    assert listed and all("Sarasa" in line and line.split()[-5] == "yes" for line in listed), fonts  # "emb"

    text = _text(pdftotext, path)
    squeezed = "".join(text.split())
    for expected in ("吉𠮷㛃", "2026年村党组织书记“三议一表决”专题培训班", "〔2026〕乡党校结字第001号", school_name()):
        assert expected in squeezed, (expected, text)

    prefix = artifacts_dir / f"certificate-{design}"
    subprocess.run([pdftoppm, "-r", "60", "-png", "-singlefile", str(path), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.stat().st_size > 5000
    assert _pages(path) == 1


def test_over_long_class_name_stays_on_one_readable_page(county, fake, tmp_path, artifacts_dir):
    pdftotext = poppler("pdftotext")
    person = county["people"]["east"][0]
    long_name = "关于深入学习贯彻党的基层组织建设和村级集体经济发展以及村务公开民主管理工作的" * 3
    training_class = make_class(name=long_name[:120])
    enrol(training_class, [person])
    _certificate, path = _issue(person, training_class, tmp_path)
    text = _text(pdftotext, path)
    assert long_name[:120] in "".join(text.split())
    assert _pages(path) == 1
    subprocess.run([poppler("pdftoppm"), "-r", "60", "-png", "-singlefile", str(path),
                    str(artifacts_dir / "certificate-long-name")], check=True)


def test_html_carries_the_verification_url(closed_class, county, fake):
    certificate, _created = services.certificate_issue(training_class=closed_class, person=county["people"]["east"][0])
    html = certificate_html(certificate=certificate)
    assert "data:image/png;base64," in html and certificate.holder_name in html


@pytest.fixture
def seal_image(db):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    picture = PILImage.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((10, 10, 190, 190), outline=(200, 0, 0, 255), width=10)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title="公章", file=ImageFile(buffer, name="seal.png"))


def test_courses_with_hours_and_seal_are_printed(county, fake, tmp_path, seal_image, artifacts_dir):
    pdftotext, pdfimages = poppler("pdftotext"), poppler("pdfimages")
    from wagtail.models import Page

    from courses.models import CourseIndexPage, CoursePage
    from lms.certificates.models import CertificateSettings

    catalogue = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="公开", credit_hours=6))
    school = CertificateSettings.load()
    school.seal, school.signatory = seal_image, "校长 李堃"
    school.save()
    person = county["people"]["east"][0]
    training_class = make_class(name="村务公开专题班")
    training_class.courses.add(course)
    enrol(training_class, [person])
    _certificate, path = _issue(person, training_class, tmp_path)
    text = "".join(_text(pdftotext, path).split())
    assert "村务公开" in text and "6" in text and "校长李堃" in text
    images = subprocess.run([pdfimages, "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= 2, images  # the QR code and the seal
    subprocess.run([poppler("pdftoppm"), "-r", "60", "-png", "-singlefile", str(path),
                    str(artifacts_dir / "certificate-courses-seal")], check=True)


def test_many_courses_stay_on_one_page_with_every_course_and_hour(county, fake, tmp_path, artifacts_dir):
    from wagtail.models import Page

    from courses.models import CourseIndexPage, CoursePage

    catalogue = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    titles = [f"专题{i:02d}村级组织建设" for i in range(1, 15)]
    courses = [catalogue.add_child(instance=CoursePage(title=t, slug=f"c{i}", summary="s", credit_hours=i))
               for i, t in enumerate(titles, start=1)]
    person = county["people"]["east"][0]
    training_class = make_class(name="村级组织建设系列专题班")
    training_class.courses.add(*courses)
    enrol(training_class, [person])
    _certificate, path = _issue(person, training_class, tmp_path)
    assert _pages(path) == 1
    text = "".join(_text(poppler("pdftotext"), path).split())
    assert all(title in text for title in titles) and "105.0" in text  # 1 + 2 + ... + 14 hours
    subprocess.run([poppler("pdftoppm"), "-r", "60", "-png", "-singlefile", str(path),
                    str(artifacts_dir / "certificate-many-courses")], check=True)
