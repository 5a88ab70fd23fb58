import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.validators import validate_attachment, validate_video_url, video_embed_url

YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE_EMBED),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("  https://youtu.be/dQw4w9WgXcQ  ", YOUTUBE_EMBED),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_video_embed_url_of_an_allowed_video(url, embed):
    assert video_embed_url(url) == embed


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "http://youtu.be/dQw4w9WgXcQ",
        "http://vimeo.com/76979871",
        "https://video.example.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.example.com/watch?v=dQw4w9WgXcQ",
        "https://notyoutu.be/dQw4w9WgXcQ",
        "javascript:alert(1)",
        "javascript://www.youtube.com/%0Aalert(1)",
        "https://www.youtube.com/watch?v=%22%3E%3Cscript%3E",
        "https://youtu.be/abc%22onload",
        "https://www.youtube.com/watch",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_video_embed_url_refuses_other_schemes_hosts_and_malformed_ids(url):
    assert video_embed_url(url) is None


def test_validate_video_url_accepts_an_allowed_video_and_a_blank_value():
    assert validate_video_url("https://youtu.be/dQw4w9WgXcQ") is None
    assert validate_video_url("") is None


@pytest.mark.parametrize(
    "url",
    ["http://youtu.be/dQw4w9WgXcQ", "https://video.example.com/1", "javascript:alert(1)"],
)
def test_validate_video_url_refuses_what_cannot_be_embedded(url):
    with pytest.raises(ValidationError) as error:
        validate_video_url(url)

    assert error.value.code == "video_host"


def test_validate_attachment_refuses_a_file_over_the_limit(settings):
    settings.LMS_ATTACHMENT_MAX_BYTES = 100

    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("notes.pdf", b"x" * 101))

    assert error.value.code == "file_too_large"


def test_validate_attachment_accepts_a_file_exactly_at_the_limit(settings):
    settings.LMS_ATTACHMENT_MAX_BYTES = 100

    content = b"%PDF-1.7 " + b"x" * 91

    assert validate_attachment(SimpleUploadedFile("notes.pdf", content)) is None


@pytest.mark.parametrize(
    "name",
    ["setup.exe", "page.html", "logo.svg", "report.pdf.exe", "README", "SCRIPT.EXE"],
)
def test_validate_attachment_refuses_a_type_that_is_not_allowed(name):
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile(name, b"content"))

    assert error.value.code == "file_type"


@pytest.mark.parametrize("name", ["notes.pdf", "NOTES.PDF", "Упутство за рад.pdf", "안내.pdf"])
def test_validate_attachment_accepts_a_pdf(name):
    assert validate_attachment(SimpleUploadedFile(name, b"%PDF-1.7 content")) is None


def _zip(member: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"GIF89a not a jpeg"),
        ("guide.pdf", b"<!DOCTYPE html><p>hi"),
        ("notes.txt", b"  <html><body onload=alert(1)>"),
        ("notes.txt", b"\x00\x01binary"),
        ("table.csv", "Име,Презиме".encode("cp1251")),
        ("letter.docx", b"PK\x03\x04 not really a zip"),
        ("letter.docx", _zip("word/document.xml")),
        ("sheet.ods", _zip("content.xml")),
    ],
)
def test_validate_attachment_checks_the_content_not_only_the_name(name, content):
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile(name, content))

    assert error.value.code == "file_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n...."),
        ("photo.JPEG", b"\xff\xd8\xff\xe0...."),
        ("notes.txt", "Напомене за полазнике\n".encode()),
        ("table.csv", "\ufeffИме,Презиме\r\nАна,Анић\r\n".encode()),
        ("letter.docx", _zip("[Content_Types].xml")),
        ("sheet.ods", _zip("mimetype")),
    ],
)
def test_validate_attachment_accepts_files_whose_content_matches(name, content):
    assert validate_attachment(SimpleUploadedFile(name, content)) is None
