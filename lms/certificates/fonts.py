"""The embedded CJK font every PDF of the project uses, so Chinese shows in every viewer.

xhtml2pdf's built-in STSong-Light is a CID font that is not embedded: many viewers
show empty boxes for it. We embed a TrueType (glyf outlines) face instead:
Sarasa Mono SC (更纱黑体, SIL Open Font License 1.1, derived from Source Han Sans
and Iosevka), shipped on PyPI inside the ``impaper`` package (pinned in
requirements.txt). It covers GB 18030 including CJK Extension A and the
Extension B characters common in names (for example 𠮷). ReportLab subsets it, so
a PDF carries only the glyphs it uses.

Other apps:
    from lms.certificates.fonts import CJK_FAMILY, register_cjk_font
    register_cjk_font()       # once per process; cheap afterwards
    # then in the template's CSS: font-family: lmscjk;
or, for a document rendered with its own @font-face, font_face_css() together with
pdf_resource_policy() (xhtml2pdf only reads local files inside allowed folders).
"""

import functools
import importlib.util
import os
from pathlib import Path

from django.conf import settings

CJK_FAMILY = "lmscjk"
_REPORTLAB_NAME = "LmsCJK"
_PACKAGED_FONT = ("impaper", "res/sarasa-mono-sc-regular.ttf")
# Used only when the package is missing: a machine with Debian's fonts-wqy-zenhei.
_SYSTEM_FALLBACKS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)


class CJKFontMissing(RuntimeError):
    """No TrueType CJK font could be found."""


@functools.cache
def cjk_font_path() -> Path:
    """The TrueType CJK font file: settings.CJK_FONT_PATH, the packaged font, or a system one."""
    configured = getattr(settings, "CJK_FONT_PATH", "") or os.environ.get("CJK_FONT_PATH", "")
    if configured:
        return Path(configured)
    package, relative = _PACKAGED_FONT
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(next(iter(spec.submodule_search_locations))) / relative
        if candidate.exists():
            return candidate
    for candidate in _SYSTEM_FALLBACKS:
        if candidate.exists():
            return candidate
    raise CJKFontMissing("No CJK TrueType font: install requirements.txt (package impaper) or set CJK_FONT_PATH.")


@functools.cache
def _font_file():
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(str(cjk_font_path()), subfontIndex=0)


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap, with characters outside the BMP as UTF-16 surrogate pairs."""
    from reportlab.pdfbase import ttfonts

    cmap = ttfonts._lms_original_to_unicode_cmap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return cmap
    # ReportLab writes <20BB7> for U+20BB7: odd-length hex that viewers misread, so
    # copying or searching 𠮷 gives another character. PDF wants UTF-16BE.
    wrong = {f"<{i:02X}> <{v:04X}>": f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset) if v > 0xFFFF}
    return "\n".join(wrong.get(line, line) for line in cmap.split("\n"))


def _fix_to_unicode_for_supplementary_planes() -> None:
    from reportlab.pdfbase import ttfonts

    if not hasattr(ttfonts, "_lms_original_to_unicode_cmap"):
        ttfonts._lms_original_to_unicode_cmap = ttfonts.makeToUnicodeCMap
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register_cjk_font() -> str:
    """Register the CJK font with ReportLab and xhtml2pdf once; return the CSS family name."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf import default

    _fix_to_unicode_for_supplementary_planes()
    if _REPORTLAB_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_REPORTLAB_NAME, str(cjk_font_path()), subfontIndex=0))
        # One face serves every weight and style: the font has no bold or italic.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(_REPORTLAB_NAME, bold, italic, _REPORTLAB_NAME)
    # A canvas opens each page with its base font; Helvetica there is listed as an unembedded font.
    rl_config.canvas_basefontname = _REPORTLAB_NAME
    # Every xhtml2pdf document copies DEFAULT_FONT, so the family is known to each.
    default.DEFAULT_FONT[CJK_FAMILY] = _REPORTLAB_NAME
    default.DEFAULT_FONT[_REPORTLAB_NAME.lower()] = _REPORTLAB_NAME
    return CJK_FAMILY


def missing_glyphs(text: str) -> str:
    """The distinct characters of text the CJK font cannot draw (whitespace ignored)."""
    cmap = _font_file().charToGlyph
    seen: list[str] = []
    for char in text:
        if not char.isspace() and ord(char) not in cmap and char not in seen:
            seen.append(char)
    return "".join(seen)


def font_face_css(family: str = CJK_FAMILY) -> str:
    """A @font-face rule embedding the CJK font; render with pdf_resource_policy() so it may be read."""
    path = cjk_font_path().as_posix()
    return f'@font-face {{ font-family: "{family}"; src: url("{path}"); }}'


def pdf_resource_policy(*extra_dirs: Path):
    """An xhtml2pdf policy: no network, local reads only from static, media, the font and extra_dirs."""
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    roots = [Path(settings.MEDIA_ROOT), cjk_font_path().parent, *map(Path, extra_dirs)]
    roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    return ResourceAccessPolicy(
        allow_remote=False, base_dir=Path(settings.BASE_DIR) / "static", extra_roots=tuple(roots)
    )
