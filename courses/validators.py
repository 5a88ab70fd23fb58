"""Checks on content supplied by trainers: video links, attachments and cover images."""

import zipfile
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def video_embed_url(url: str) -> str | None:
    """The embeddable player address for a video page on an allowed host, or None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host not in settings.LMS_VIDEO_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host in {"www.youtube.com", "youtube.com"}:
        if segments[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live"}:
            video_id = segments[1]
        if video_id and video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be" and len(segments) == 1:
        video_id = segments[0]
        if video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host in {"vimeo.com", "player.vimeo.com"}:
        numeric = [s for s in segments if s.isdigit()]
        if numeric:
            return f"https://player.vimeo.com/video/{numeric[-1]}"
    return None


def validate_video_url(url: str) -> None:
    if url and video_embed_url(url) is None:
        raise ValidationError(
            _("Video links must be https addresses of a video on one of: %(hosts)s.")
            % {"hosts": ", ".join(settings.LMS_VIDEO_HOSTS)},
            code="video_host",
        )


def validate_attachment(upload) -> None:
    """Refuse files that are too large or of a type the LMS does not serve."""
    limit = settings.LMS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    allowed = [e.lower() for e in settings.LMS_ATTACHMENT_EXTENSIONS]
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(ext)s” cannot be attached. Allowed types: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed)},
            code="file_type",
        )
    if not _content_matches(extension, upload):
        raise ValidationError(
            _("The file's content is not a “%(ext)s” file; it cannot be attached.")
            % {"ext": extension},
            code="file_content",
        )


COVER_IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "webp")


def validate_cover_image(upload) -> None:
    """Refuse a course cover that is too large or is not a PNG, JPEG or WebP image by its
    content (an HTML page renamed .png is refused). A file already stored was checked when it
    was uploaded."""
    if getattr(upload, "_committed", False):
        return
    limit = settings.LMS_COVER_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The image is %(size)s; a cover image may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    if extension not in COVER_IMAGE_EXTENSIONS or not _content_matches(extension, upload):
        raise ValidationError(
            _("The cover image must be a PNG, JPEG or WebP image."), code="file_content"
        )


# What a file of each allowed type starts with. A type missing here (added to
# LMS_ATTACHMENT_EXTENSIONS by a deployment) is checked by its extension only.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
# Office Open XML and OpenDocument files are ZIP archives with a known first member.
_ZIP_MEMBER = {
    "docx": "[Content_Types].xml",
    "xlsx": "[Content_Types].xml",
    "pptx": "[Content_Types].xml",
    "odt": "mimetype",
    "ods": "mimetype",
    "odp": "mimetype",
}
_TEXT_TYPES = frozenset({"txt", "csv"})
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def _head(upload, size: int = 65536) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _content_matches(extension: str, upload) -> bool:
    """Whether the file's bytes agree with its extension, so that a page or a script renamed
    to .png or .txt is refused (browsers may sniff content despite the declared type)."""
    head = _head(upload)
    if extension in _SIGNATURES:
        return head.startswith(_SIGNATURES[extension])
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension in _ZIP_MEMBER:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                return _ZIP_MEMBER[extension] in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    if extension in _TEXT_TYPES:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 3:
                return False
        lowered = head.lstrip().lower()
        return not any(marker in lowered[:2048] for marker in _MARKUP)
    return True


def parse_day_list(value: str) -> list[int]:
    """ "7, 1" -> [7, 1]: distinct whole days from 1 to 365, largest first. Raises ValueError."""
    days = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdecimal()) or not 1 <= int(part) <= 365:
            raise ValueError(part)
        days.add(int(part))
    if not days:
        raise ValueError(value)
    return sorted(days, reverse=True)


def validate_day_list(value: str) -> None:
    if not value:
        return
    try:
        parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Enter whole days from 1 to 365 separated by commas, for example 7,1."),
            code="invalid_day_list",
        ) from None
