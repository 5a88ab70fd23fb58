# Serbian (both scripts): "31. 12. 2026.", a 24-hour clock and a decimal comma.
DATE_FORMAT = "j. n. Y."
SHORT_DATE_FORMAT = "j. n. Y."
DATETIME_FORMAT = "j. n. Y. H:i"
SHORT_DATETIME_FORMAT = "j. n. Y. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y."
MONTH_DAY_FORMAT = "j. F"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y.", "%d. %m. %Y.", "%d.%m.%Y", "%d. %m. %Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y. %H:%M:%S",
    "%d.%m.%Y. %H:%M",
    "%d. %m. %Y. %H:%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
