import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """A 403 or 404 is the server working as meant: log the line, not the exception's traceback
    (Django attaches it to "Forbidden (Permission denied)" records). 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
