# Korean: "2026. 12. 31.", a 24-hour clock, a decimal point.
DATE_FORMAT = "Y. n. j."
SHORT_DATE_FORMAT = "Y. n. j."
DATETIME_FORMAT = "Y. n. j. H:i"
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS = ["%Y. %m. %d.", "%Y.%m.%d.", "%Y.%m.%d", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y. %m. %d. %H:%M:%S",
    "%Y. %m. %d. %H:%M",
    "%Y.%m.%d. %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
