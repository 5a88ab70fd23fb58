"""The certificate renderer: plain data in, PDF bytes out. No ORM, no settings, no translation
lookups, so it can be tested and benchmarked alone.

One TrueType font with Latin, Cyrillic and Hangul glyphs (Kurinto Sans KR from the
``weblate-fonts`` package) is registered once per process and embedded as a subset. The QR
code is a ``segno`` matrix drawn as a single path, which costs a fraction of ReportLab's own
QR widget.
"""

import functools
import hashlib
import io
import threading
from dataclasses import dataclass, field
from importlib import resources

import segno
from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_NAME = "KurintoSansKR"
FONT_FILE = "KurintoSansKR-Rg.ttf"

_font_lock = threading.Lock()
_fonts_registered = False
# How many times this process loaded the font files; a test holds it to one.
font_registrations = 0


class RenderError(ValueError):
    """The data cannot make a certificate (a broken image, a missing name)."""


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    signature: bytes | None = None  # PNG or JPEG


@dataclass(frozen=True)
class Labels:
    """Every printed word that is not data, already in the learner's language."""

    heading: str
    certifies: str
    completed: str
    hours: str
    date: str
    serial: str
    verify: str
    expires: str


@dataclass(frozen=True)
class CertificateData:
    holder_name: str
    course_title: str
    hours: str
    completed_on: str
    serial: str
    verify_url: str
    organisation: str
    labels: Labels
    expires_on: str = ""
    signatories: tuple[Signatory, ...] = ()
    logo: bytes | None = None
    primary_colour: str = "#1f3a5f"
    accent_colour: str = "#b08d2e"
    extra: dict = field(default_factory=dict)


def _font_path(filename: str) -> str:
    base = resources.files("weblate_fonts") / "static" / "weblate_fonts" / "kurinto" / "ttf"
    return str(base / filename)


def register_fonts() -> str:
    """Load the certificate font once per process; later calls only return its name."""
    global _fonts_registered, font_registrations
    if _fonts_registered:
        return FONT_NAME
    with _font_lock:
        if not _fonts_registered:
            pdfmetrics.registerFont(TTFont(FONT_NAME, _font_path(FONT_FILE)))
            font_registrations += 1
            _fonts_registered = True
    return FONT_NAME


# Binary streams: ASCII85 only makes a PDF 7-bit clean, at a quarter more bytes and, in
# ReportLab, most of the time spent on images.
rl_config.useA85 = 0
# Images are printed at most this many pixels on their longer side (a 50 mm signature at
# 300 dpi); a larger upload is scaled down once.
MAX_IMAGE_PIXELS = 600


@functools.lru_cache(maxsize=32)
def _prepared_image(digest: str, data: bytes) -> bytes:
    """A logo or signature as a JPEG flattened on white, made once per process. The page is
    white where images go, so transparency changes nothing, and ReportLab embeds a JPEG as it
    is instead of decoding and compressing the pixels again for every certificate."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # Pillow raises several types for a broken image
        raise RenderError(f"unreadable image: {error}") from error
    if max(image.size) > MAX_IMAGE_PIXELS:
        image.thumbnail((MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS))
    image = image.convert("RGBA")
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _image(data: bytes | None) -> ImageReader | None:
    if not data:
        return None
    return ImageReader(io.BytesIO(_prepared_image(hashlib.sha256(data).hexdigest(), data)))


def _colour(value: str, fallback: str) -> HexColor:
    try:
        return HexColor(value or fallback)
    except (ValueError, TypeError):
        return HexColor(fallback)


def draw_qr(c: canvas.Canvas, text: str, *, x: float, y: float, size: float) -> None:
    """Draw ``text`` as a QR code whose lower-left corner is (x, y), as one filled path."""
    # A fixed mask skips segno's search for the best of eight, most of its encoding time; any
    # mask gives a code every reader decodes.
    qr = segno.make(text, error="m", micro=False, mask=0)
    matrix = qr.matrix
    modules = len(matrix)
    quiet = 2
    # Drawn in module units, so every coordinate of the path is a small integer.
    c.saveState()
    c.translate(x, y)
    c.scale(size / (modules + 2 * quiet), size / (modules + 2 * quiet))
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = modules + quiet - row_index - 1
        col = 0
        while col < modules:
            if row[col]:
                start = col
                while col < modules and row[col]:
                    col += 1
                path.rect(quiet + start, row_y, col - start, 1)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _fit(text: str, font: str, size: float, width: float, minimum: float = 10) -> float:
    """The largest font size not above ``size`` at which ``text`` fits in ``width``."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def render_certificate(data: CertificateData) -> bytes:
    """One A4 landscape page: heading, name, course, hours, date, serial, signatories, logo and
    a QR code with the verification address printed beside it."""
    if not data.holder_name.strip():
        raise RenderError("the certificate holder has no name")
    font = register_fonts()
    logo = _image(data.logo)
    signatures = [_image(s.signature) for s in data.signatories[:2]]
    primary = _colour(data.primary_colour, "#1f3a5f")
    accent = _colour(data.accent_colour, "#b08d2e")

    buffer = io.BytesIO()
    width, height = landscape(A4)
    # The embedded font from the page's first state too, so the PDF names no unembedded
    # Helvetica (ReportLab's default) that a PDF/A check or a strict reader would flag.
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=font)
    c.setTitle(f"{data.labels.heading} {data.serial}")
    c.setAuthor(data.organisation)
    c.setSubject(data.course_title)

    # Frame.
    c.setStrokeColor(primary)
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setStrokeColor(accent)
    c.setLineWidth(1)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    centre = width / 2
    text_width = width - 70 * mm
    if logo is not None:
        c.drawImage(
            logo,
            25 * mm,
            height - 48 * mm,
            width=28 * mm,
            height=28 * mm,
            preserveAspectRatio=True,
        )
    c.setFillColor(primary)
    c.setFont(font, 13)
    c.drawCentredString(centre, height - 32 * mm, data.organisation)
    c.setFont(font, _fit(data.labels.heading, font, 30, text_width))
    c.drawCentredString(centre, height - 50 * mm, data.labels.heading)

    c.setFillColor(HexColor("#222222"))
    c.setFont(font, 13)
    c.drawCentredString(centre, height - 66 * mm, data.labels.certifies)
    c.setFont(font, _fit(data.holder_name, font, 30, text_width))
    c.drawCentredString(centre, height - 82 * mm, data.holder_name)
    c.setFont(font, 13)
    c.drawCentredString(centre, height - 96 * mm, data.labels.completed)
    c.setFillColor(primary)
    c.setFont(font, _fit(data.course_title, font, 22, text_width))
    c.drawCentredString(centre, height - 110 * mm, data.course_title)

    c.setFillColor(HexColor("#222222"))
    c.setFont(font, 12)
    facts = f"{data.labels.hours}: {data.hours}    {data.labels.date}: {data.completed_on}"
    if data.expires_on:
        facts += f"    {data.labels.expires}: {data.expires_on}"
    c.drawCentredString(centre, height - 124 * mm, facts)

    # Signatories, side by side above the bottom edge.
    slots = len(data.signatories[:2])
    for index, signatory in enumerate(data.signatories[:2]):
        slot_centre = centre + (index - (slots - 1) / 2) * 95 * mm
        baseline = 42 * mm
        image = signatures[index]
        if image is not None:
            c.drawImage(
                image,
                slot_centre - 25 * mm,
                baseline + 2 * mm,
                width=50 * mm,
                height=16 * mm,
                preserveAspectRatio=True,
            )
        c.setStrokeColor(HexColor("#444444"))
        c.setLineWidth(0.6)
        c.line(slot_centre - 32 * mm, baseline, slot_centre + 32 * mm, baseline)
        c.setFont(font, 11)
        c.drawCentredString(slot_centre, baseline - 6 * mm, signatory.name)
        c.setFont(font, 9)
        c.drawCentredString(slot_centre, baseline - 11 * mm, signatory.title)

    # Serial and verification, bottom corners.
    c.setFont(font, 9)
    c.drawString(22 * mm, 22 * mm, f"{data.labels.serial}: {data.serial}")
    qr_size = 30 * mm
    qr_x = width - 22 * mm - qr_size
    c.setFillColor(HexColor("#000000"))
    draw_qr(c, data.verify_url, x=qr_x, y=20 * mm, size=qr_size)
    c.setFillColor(HexColor("#222222"))
    c.setFont(font, 8)
    c.drawRightString(qr_x - 2 * mm, 28 * mm, data.labels.verify)
    c.drawRightString(qr_x - 2 * mm, 23 * mm, data.verify_url)

    c.showPage()
    c.save()
    return buffer.getvalue()
