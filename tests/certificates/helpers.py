"""Helpers shared by the certificate tests."""

import io

from courses.services import enrollment_create, lesson_complete
from tests.factories import UserFactory, course_with_lessons


def complete_course(*, user=None, course=None, **course_kwargs):
    """Enrol ``user`` and finish every lesson through the services; returns the enrollment."""
    course = course or course_with_lessons(lessons_per_module=1, modules=1, **course_kwargs)
    user = user or UserFactory(full_name="Бранко Ружић")
    enrollment = enrollment_create(user=user, course=course)
    for lesson in course.lessons.all():
        lesson_complete(enrollment=enrollment, lesson=lesson)
    return enrollment


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_font_names(content: bytes) -> list[str]:
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(content)).pages[0]
    fonts = page["/Resources"]["/Font"]
    return [str(font.get_object()["/BaseFont"]) for font in fonts.values()]


def decode_qr(content: bytes) -> list[str]:
    """Rasterise the first page and read every QR code on it."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=2).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]
