"""The embedded CJK font: TrueType outlines that cover rare characters in names."""

from reportlab.pdfbase.ttfonts import TTFontFile

from lms.certificates.fonts import CJK_FAMILY, cjk_font_path, font_face_css, missing_glyphs, register_cjk_font

RARE_NAME_CHARACTERS = "㛃𠮷堃喆昇淼犇龑䶮"


def test_font_is_truetype_and_covers_rare_name_characters():
    path = cjk_font_path()
    assert path.exists()
    # TTFontFile refuses CFF (PostScript-outline) fonts, which ReportLab cannot embed.
    font = TTFontFile(str(path))
    for char in RARE_NAME_CHARACTERS + "〔〕乡党校结字第号":
        assert ord(char) in font.charToGlyph, char
    assert missing_glyphs(RARE_NAME_CHARACTERS) == ""


def test_characters_outside_the_font_are_named():
    assert missing_glyphs("王\U000f0001明\U000f0001") == "\U000f0001"


def test_registration_is_idempotent_and_css_names_the_file():
    assert register_cjk_font() == CJK_FAMILY
    assert register_cjk_font() == CJK_FAMILY
    assert cjk_font_path().as_posix() in font_face_css()
