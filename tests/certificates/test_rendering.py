"""The pure renderer: names in every script come out exactly, one font embedded as a subset,
registered once per process, and a QR code that decodes to the verification address."""

import io

import pytest
from PIL import Image

from certificates import rendering
from tests.certificates.helpers import decode_qr, pdf_font_names, pdf_text

LABELS = rendering.Labels(
    heading="Certificate of completion",
    certifies="This certifies that",
    completed="has successfully completed the course",
    hours="Hours",
    date="Date of completion",
    serial="Serial number",
    verify="Verify this certificate at",
    expires="Valid until",
)


def png(colour=(20, 60, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def data(**overrides) -> rendering.CertificateData:
    values = {
        "holder_name": "Бранко Ружић",
        "course_title": "Дигитална управа",
        "hours": "12",
        "completed_on": "1. децембар 2026.",
        "serial": "LMS-2026-000123",
        "verify_url": "https://lms.example.gov/v/ABCDEFGHJKMNPQ/",
        "organisation": "Канцеларија за ИТ",
        "labels": LABELS,
        "signatories": (
            rendering.Signatory("Ана Јовић", "Директорка", png()),
            rendering.Signatory("Kim Min-ji", "Head of training"),
        ),
        "logo": png((200, 160, 40)),
    }
    return rendering.CertificateData(**{**values, **overrides})


@pytest.mark.parametrize("name", ["Бранко Ружић", "Đorđe Čačak", "오현목"])
def test_name_in_any_script_comes_out_of_the_pdf_exactly(name):
    text = pdf_text(rendering.render_certificate(data(holder_name=name)))
    assert name in text.splitlines()


def test_every_printed_fact_is_on_the_page():
    text = pdf_text(rendering.render_certificate(data(expires_on="1. децембар 2029.")))
    for expected in [
        "Дигитална управа",
        "LMS-2026-000123",
        "Канцеларија за ИТ",
        "Ана Јовић",
        "Директорка",
        "Kim Min-ji",
        "https://lms.example.gov/v/ABCDEFGHJKMNPQ/",
        "1. децембар 2026.",
        "Valid until: 1. децембар 2029.",
    ]:
        assert expected in text


def test_the_font_is_embedded_as_a_subset():
    content = rendering.render_certificate(data())
    kurinto = [name for name in pdf_font_names(content) if "Kurinto" in name]
    assert kurinto, pdf_font_names(content)
    # A subset font's name carries a six-letter tag: "ABCDEF+KurintoSansKR-Rg".
    for name in kurinto:
        tag, _, base = name.lstrip("/").partition("+")
        assert len(tag) == 6 and tag.isalpha() and tag.isupper()
        assert base.startswith("KurintoSansKR")
    # A subset is a small fraction of the 10+ MB font file.
    assert len(content) < 200_000


def test_every_font_the_pdf_names_is_the_embedded_one():
    # Not ReportLab's default Helvetica, which no PDF carries and a PDF/A check refuses.
    names = pdf_font_names(rendering.render_certificate(data()))
    assert names and all("Kurinto" in name for name in names), names


def test_the_font_is_registered_once_per_process():
    rendering.render_certificate(data())
    before = rendering.font_registrations
    for name in ["Đorđe Čačak", "오현목", "Бранко Ружић"]:
        rendering.render_certificate(data(holder_name=name))
    assert rendering.font_registrations == before == 1


def test_page_is_a4_landscape():
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(rendering.render_certificate(data()))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_qr_code_decodes_to_the_verification_address():
    url = "https://lms.example.gov/v/ABCDEFGHJKMNPQ/"
    assert decode_qr(rendering.render_certificate(data(verify_url=url))) == [url]


def test_no_name_is_a_render_error():
    with pytest.raises(rendering.RenderError):
        rendering.render_certificate(data(holder_name="  "))


def test_a_broken_image_is_a_render_error():
    with pytest.raises(rendering.RenderError):
        rendering.render_certificate(data(logo=b"not an image"))


def test_long_titles_are_shrunk_to_fit_and_still_printed():
    title = "Управљање информационом безбедношћу у органима државне управе " * 2
    text = pdf_text(rendering.render_certificate(data(course_title=title.strip())))
    assert "Управљање" in text
