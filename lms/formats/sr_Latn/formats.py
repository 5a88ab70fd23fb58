# Serbian Latin writes dates and numbers exactly as Serbian Cyrillic does.
from lms.formats.sr.formats import *  # noqa: F403
