"""Reading, showing and comparing event dates.

``events.yaml`` gives each event a ``date`` string in the subset of EDTF that
people actually write, or in a natural form that python-dateutil reads:

* ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a 4-digit year, 0001-9999);
* ``20 March 2023``, ``March 2023``, ``4 Feb 2022``, ``Feb 2023``;
* an interval ``START/END`` of those, with ``..`` for an open end;
* a trailing qualifier on a date or on either end of an interval:
  ``?`` (uncertain), ``~`` (approximate), ``%`` (both).

Nothing is ever filled in: ``March 2023`` is a month, not 1 March. Problems
raise :class:`DateError`, whose ``offset`` points into the string as given so
the loader can place the diagnostic on the YAML scalar.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from citeline.model import EventDate, PartialDate

if TYPE_CHECKING:
    from dateutil.parser import parserinfo

__all__ = ["DateError", "describe_gap", "format_date", "parse_date"]

EXPECTED = (
    "expected YYYY, YYYY-MM, YYYY-MM-DD, an interval START/END (with '..' for an open end), "
    "or a date like '20 March 2023'"
)
QUALIFIERS = "?~%"
OPEN = ".."
EN_DASH = "\u2013"
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Spelled out rather than taken from calendar/strftime, which follow the locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)



@cache
def _names() -> parserinfo:
    """dateutil's month and weekday names, imported on first use.

    Only natural dates outside the common forms need dateutil: a timeline
    read from the cache, or one with ISO dates and common forms only
    (``20 March 2023``), starts without importing it (20-50 ms).
    """
    from dateutil.parser import parserinfo

    return parserinfo()

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
_ISO_LIKE = re.compile(r"[+-]?[0-9]+(?:-[0-9]+)*", re.ASCII)
_TIME = re.compile(
    r"[0-9]T[0-9]|[0-9]{1,2}:[0-9]{2}|[0-9]{1,2}\s*[ap]\.?m\b", re.ASCII | re.IGNORECASE
)
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<sep>[,.\-])"
    r"|(?P<num>[0-9]+)(?P<ord>st|nd|rd|th)?"
    r"|(?P<word>[A-Za-z]+)(?P<dot>\.)?"
    r"|.",
    re.ASCII | re.IGNORECASE,
)
#: Month names as written in the common forms (dateutil's, in their usual case).
_COMMON_MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name: number for number, name in enumerate(MONTH_ABBR, 1)},
    "Sept": 9,
}
_MONTH_WORD = "|".join(sorted(_COMMON_MONTHS, key=len, reverse=True))


@cache
def _common_form() -> re.Pattern[str]:
    """``20 March 2023``, ``March 2023`` and ``March 20, 2023``, with single spaces.

    Compiled on first use: a timeline with ISO dates only (or read from the
    cache) starts without it (0.6 ms).
    """
    return re.compile(
        rf"(?:([0-9]{{1,2}}) )?({_MONTH_WORD}) ([0-9]{{4}})"
        rf"|({_MONTH_WORD}) ([0-9]{{1,2}}), ([0-9]{{4}})",
        re.ASCII,
    )


# Two defaults that differ in every field dateutil fills in: a field that comes
# back the same from both parses was really written in the string.
_DEFAULTS = (_dt.datetime(2000, 1, 1, 0, 0, 0, 0), _dt.datetime(2001, 2, 2, 1, 1, 1, 1))
_TIME_FIELDS = ("hour", "minute", "second", "microsecond")


class DateError(ValueError):
    """A ``date`` string that citeline cannot read.

    ``offset`` is the 0-based character offset into the string as given
    (before stripping) where the problem is; 0 when there is no better place.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message, offset)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return self.message


class _End(NamedTuple):
    """One parsed side of a date: ``None`` date means an open end (``..``)."""

    date: PartialDate | None
    qualifier: str | None


# ---------------------------------------------------------------------------
# Parsing


def parse_date(raw: str) -> EventDate:
    """Parse an event's ``date`` string (see the module docstring for forms).

    Raises :class:`DateError` with an actionable message and an offset into
    ``raw``.
    """
    if not isinstance(raw, str):
        raise DateError(f"a date must be text, not {type(raw).__name__}; {EXPECTED}")
    iso = _ISO.fullmatch(raw)
    if iso is not None:  # the commonest form, read at once (as below, to the same result)
        date = _iso_date(iso, raw, 0)
        return EventDate(date, date, None, raw, False)
    text = raw.strip()
    base = len(raw) - len(raw.lstrip())
    if not text:
        raise DateError(f"the date is empty; {EXPECTED}")
    slashes = [i for i, char in enumerate(text) if char == "/"]
    if len(slashes) > 1:
        raise DateError(
            "a date may contain only one '/', between the start and end of an interval; "
            "write numeric dates as YYYY-MM-DD (e.g. 2023-03-20, not 3/20/2023)",
            base + slashes[1],
        )
    if not slashes:
        return _single(text, base)
    return _interval(text, base, slashes[0])


def _single(text: str, base: int) -> EventDate:
    end = _parse_end(text, base)
    if end.date is None:
        raise DateError(
            "'..' marks an open end and only makes sense in an interval, "
            "e.g. '2022/..' or '../2023'",
            base,
        )
    return EventDate(end.date, end.date, end.qualifier, text, False)


def _interval(text: str, base: int, slash: int) -> EventDate:
    left, right = text[:slash], text[slash + 1 :]
    start = _parse_side(left, base, "start", "../2023")
    end = _parse_side(right, base + slash + 1, "end", "2022/..")
    if start.date is None and end.date is None:
        raise DateError(
            "an interval cannot be open at both ends ('../..'); give at least one date, "
            "e.g. '2022/..'",
            base,
        )
    if start.date and end.date and end.date.last_day() < start.date.first_day():
        raise DateError(
            f"the interval ends ({end.date.iso()}) before it starts ({start.date.iso()}); "
            "write START/END with the earlier date first",
            base + slash + 1 + _lead(right),
        )
    qualifier = _combine(start.qualifier, end.qualifier)
    return EventDate(start.date, end.date, qualifier, text, True)


def _parse_side(side: str, base: int, which: str, example: str) -> _End:
    """Parse one side of ``START/END``; ``base`` is where ``side`` begins."""
    if not side.strip():
        raise DateError(
            f"the interval has no {which}; write '..' for an open {which}, e.g. '{example}'",
            base,
        )
    return _parse_end(side.strip(), base + _lead(side))


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _combine(first: str | None, second: str | None) -> str | None:
    """One qualifier for two ends: the same one, or ``%`` when they differ."""
    if first is None or first == second:
        return second
    if second is None:
        return first
    return "%"


def _parse_end(text: str, base: int) -> _End:
    """Parse one stripped date with an optional trailing qualifier."""
    body, qualifier = _split_qualifier(text, base)
    if body == OPEN:
        if qualifier:
            raise DateError("an open end ('..') cannot carry a qualifier", base + len(body))
        return _End(None, None)
    return _End(_parse_plain(body, base), qualifier)


def _split_qualifier(text: str, base: int) -> tuple[str, str | None]:
    if text[0] in QUALIFIERS:
        raise DateError(f"put the qualifier '{text[0]}' after the date, e.g. '2022{text[0]}'", base)
    if text[-1] not in QUALIFIERS:
        return text, None
    body = text[:-1].rstrip()
    if not body:
        raise DateError(f"the qualifier '{text[-1]}' has no date before it; {EXPECTED}", base)
    if body[-1] in QUALIFIERS:
        raise DateError(
            "use a single qualifier: '?' uncertain, '~' approximate, '%' both",
            base + len(body) - 1,
        )
    return body, text[-1]


def _parse_plain(text: str, base: int) -> PartialDate:
    """Parse a date without qualifier: ISO first, then the natural forms."""
    match = _ISO.fullmatch(text)
    if match:
        return _iso_date(match, text, base)
    _reject_time(text, base)
    if _ISO_LIKE.fullmatch(text):
        _reject_iso_like(text, base)
    return _natural_date(text, base)


def _iso_date(match: re.Match[str], text: str, base: int) -> PartialDate:
    year = _check_year(int(match[1]), text, base)
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(
            f"{text} is not a calendar date: months run from 01 to 12", base + match.start(2)
        )
    if month is not None and day is not None:
        _check_day(year, month, day, text, base + match.start(3))
    return PartialDate(year, month, day)


def _check_year(year: int, text: str, offset: int) -> int:
    if year < 1:
        raise DateError(f"{text} is not a calendar date: years run from 0001 to 9999", offset)
    return year


def _check_day(year: int, month: int, day: int, text: str, offset: int) -> None:
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(
            f"{text} is not a calendar date: {MONTH_NAMES[month - 1]} {year:04d} has {days} days",
            offset,
        )


def _reject_time(text: str, base: int) -> None:
    found = _TIME.search(text)
    if found:
        at = found.start() + (1 if found[0][1:2] in "Tt" else 0)
        raise DateError(
            "times are not supported; give only the date, e.g. '2023-03-20' or '20 March 2023'",
            base + at,
        )


def _reject_iso_like(text: str, base: int) -> None:
    """Explain why a numeric date that is not strict ISO was refused."""
    if text[0] in "+-":
        raise DateError("years before 0001 (and signed years) are not supported", base)
    if "-" not in text:
        raise DateError(
            f"a year must have exactly 4 digits (0001-9999), e.g. 0800 or 2023; got '{text}'",
            base,
        )
    raise DateError(
        "write numeric dates year first, as YYYY-MM or YYYY-MM-DD with a 4-digit year and "
        f"2-digit month and day, e.g. 2023-03-05; got '{text}'",
        base,
    )


# ---------------------------------------------------------------------------
# Natural forms


class _Fields:
    """What the tokens of a natural date say, before dateutil reads it."""

    __slots__ = ("day", "day_at", "month", "of_after", "year", "year_at")

    def __init__(self) -> None:
        self.year: int | None = None
        self.month: int | None = None
        self.day: int | None = None
        self.day_at = 0
        self.year_at = 0
        #: what the last 'of' followed (the day or the month), so that one 'of' joins two
        self.of_after: tuple[int | None, int | None] | None = None


def _natural_date(text: str, base: int) -> PartialDate:
    """Read ``20 March 2023`` and friends, keeping exactly the given precision."""
    common = _common_form().fullmatch(text)
    if common is not None:
        return _common_date(common, text, base)
    return _checked_natural_date(text, base)


def _common_date(match: re.Match[str], text: str, base: int) -> PartialDate:
    """A date in one of the common forms (see :func:`_common_form`), read without dateutil.

    These forms hold a day, a month name and a year and nothing else that
    dateutil could read otherwise, so its reading (in
    :func:`_checked_natural_date`) could only agree; it is skipped, as is its
    import. Problems are found in the same order, with the same messages and
    places.
    """
    day_group = 1 if match[3] is not None else 5
    month_group = 2 if day_group == 1 else 4
    year_group = 3 if day_group == 1 else 6
    year = _check_year(int(match[year_group]), match[year_group], base + match.start(year_group))
    month = _COMMON_MONTHS[match[month_group]]
    if match[day_group] is None:
        return PartialDate(year, month, None)
    day = int(match[day_group])
    _check_day(year, month, day, text, base + match.start(day_group))
    return PartialDate(year, month, day)


def _checked_natural_date(text: str, base: int) -> PartialDate:
    """Read a natural date token by token, then check dateutil reads it alike."""
    fields = _scan_tokens(text, base)
    if fields.month is None:
        raise DateError(
            f"could not read '{text}' as a date: numeric dates must be written YYYY-MM-DD "
            f"and natural ones need a month name; {EXPECTED}",
            base,
        )
    if fields.year is None:
        raise DateError(
            f"'{text}' has no 4-digit year; write the year in full, e.g. '20 March 2023'",
            base + len(text),
        )
    if fields.day is not None:
        _check_day(fields.year, fields.month, fields.day, text, fields.day_at)
    proxy = _proxy_year(fields.year)
    if _dateutil_read(_with_year(text, base, fields, proxy)) != (proxy, fields.month, fields.day):
        raise DateError(f"could not read '{text}' unambiguously; {EXPECTED}", base)
    return PartialDate(fields.year, fields.month, fields.day)


def _scan_tokens(text: str, base: int) -> _Fields:
    """Check that ``text`` holds only a day, a month name, a year and separators.

    One separator (``,``, ``.`` or ``-``) may stand between two parts; the
    ``.`` that ends a month abbreviation (``Feb.``) counts as that separator.
    """
    fields = _Fields()
    pending: tuple[str, int, bool] | None = None  # (separator, offset, ends a word)
    for token in _TOKEN.finditer(text):
        at = base + token.start()
        if token["space"] or token[0].isspace():  # also non-ASCII spaces such as U+00A0
            continue
        if token["sep"]:
            if pending is not None or at == base:
                _bad_separator(token[0], at)
            pending = (token[0], at, False)
            continue
        pending = None
        if token["word"]:
            _scan_word(token["word"], fields, at)
            if token["dot"]:
                pending = (".", base + token.start("dot"), True)
        elif token["num"]:
            _scan_number(token["num"], token["ord"], fields, at)
        else:
            raise DateError(f"unexpected character '{token[0]}' in a date; {EXPECTED}", at)
    if pending is not None and not pending[2]:
        _bad_separator(pending[0], pending[1])
    return fields


def _bad_separator(char: str, at: int) -> None:
    raise DateError(
        f"unexpected '{char}' in a date; separate the day, month and year with single spaces, "
        "e.g. '20 March 2023'",
        at,
    )


def _scan_word(word: str, fields: _Fields, at: int) -> None:
    names = _names()
    month = names.month(word)
    if month is not None:
        if fields.month is not None:
            raise DateError("a date can name only one month; for a span write START/END", at)
        fields.month = month
    elif names.weekday(word) is not None:
        raise DateError(
            f"weekday names such as '{word}' are not supported; write just the date, "
            "e.g. '20 March 2023'",
            at,
        )
    elif word.lower() != "of":
        raise DateError(f"unrecognised word '{word}' in a date; {EXPECTED}", at)
    elif (
        fields.year is not None
        or (fields.day is None and fields.month is None)
        or fields.of_after == (fields.day, fields.month)
    ):
        # ('4th of June 2022', 'June of 2022': once, after a day or a month, before the year)
        raise DateError(f"'{word}' here says nothing of the date; remove it", at)
    else:
        fields.of_after = (fields.day, fields.month)


def _scan_number(digits: str, ordinal: str | None, fields: _Fields, at: int) -> None:
    if len(digits) == 4 and not ordinal:
        if fields.year is not None:
            raise DateError("a date can have only one year; for a span write START/END", at)
        fields.year, fields.year_at = _check_year(int(digits), digits, at), at
    elif len(digits) <= 2:
        if fields.day is not None:
            raise DateError(
                "a date has one day number, a month name and a 4-digit year, "
                "e.g. '20 March 2023'; write numeric dates as YYYY-MM-DD",
                at,
            )
        fields.day, fields.day_at = int(digits), at
    elif ordinal:
        raise DateError(f"'{digits}{ordinal}' is not a day of the month", at)
    else:
        raise DateError(
            f"a year must have exactly 4 digits (0001-9999), e.g. 0800 or 2023; got '{digits}'",
            at,
        )


def _dateutil_read(text: str) -> tuple[int | None, int | None, int | None] | None:
    """The (year, month, day) dateutil reads in ``text``, ``None`` where not given.

    dateutil fills missing parts from its ``default``; parsing with two defaults
    that differ in every field shows which ones the string really gave. Returns
    ``None`` when dateutil cannot read ``text`` or finds a time of day in it.
    """
    from dateutil.parser import ParserError, parse

    try:
        first, second = (parse(text, default=d, fuzzy=False) for d in _DEFAULTS)
    except (ParserError, ValueError, OverflowError):
        return None
    if any(getattr(first, name) == getattr(second, name) for name in _TIME_FIELDS):
        return None
    return (
        first.year if first.year == second.year else None,
        first.month if first.month == second.month else None,
        first.day if first.day == second.day else None,
    )


def _proxy_year(year: int) -> int:
    """A year dateutil reads faithfully, with the same leap years as ``year``.

    dateutil moves years below 100 into the current century even when they are
    written with 4 digits ("March 0099" reads as 1999) and takes "Jan 0001" for
    1 January of a default year; 2000 + year has the same leap years for 1-99.
    """
    return year + 2000 if year < 100 else year


def _with_year(text: str, base: int, fields: _Fields, year: int) -> str:
    """``text`` with its 4-digit year token replaced by ``year``."""
    at = fields.year_at - base
    return f"{text[:at]}{year:04d}{text[at + 4 :]}"


# ---------------------------------------------------------------------------
# Display


def format_date(date: EventDate) -> str:
    """Show a date at the precision it was given, e.g. ``c. 20–22 Mar 2023?``."""
    text = _format_span(date.start, date.end)
    if date.approximate:
        text = f"c. {text}"
    if date.uncertain:
        text = f"{text}?"
    return text


def _format_span(start: PartialDate | None, end: PartialDate | None) -> str:
    if start is None and end is None:
        return "undated"
    if start is None:
        return f"until {_format_point(end)}"
    if end is None:
        return f"from {_format_point(start)}"
    if start == end:
        return _format_point(start)
    return _format_range(start, end)


def _format_point(date: PartialDate | None) -> str:
    """``4 Feb 2022``, ``Feb 2023`` or ``2022`` (years always with 4 digits: ``0800``)."""
    if date is None:
        return ""
    parts = [f"{date.year:04d}"]
    if date.month is not None:
        parts.insert(0, MONTH_ABBR[date.month - 1])
        if date.day is not None:
            parts.insert(0, str(date.day))
    return " ".join(parts)


def _format_range(start: PartialDate, end: PartialDate) -> str:
    """Two different dates, sharing the year (and month) when both show them."""
    if start.year != end.year or start.month is None or end.month is None:
        return f"{_format_point(start)} {EN_DASH} {_format_point(end)}"
    if start.month == end.month and start.day is not None and end.day is not None:
        return f"{start.day}{EN_DASH}{_format_point(end)}"
    head = MONTH_ABBR[start.month - 1]
    if start.day is not None:
        head = f"{start.day} {head}"
    return f"{head} {EN_DASH} {_format_point(end)}"


# ---------------------------------------------------------------------------
# Gaps


def describe_gap(earlier: EventDate, later: EventDate) -> str | None:
    """The time from the end of ``earlier`` to the start of ``later``.

    ``"3 days"``, ``"7 months"``, ``"1 year 2 months"``, ``"2 years"``, counted
    at the coarser precision of the two dates; ``None`` when either side is
    open there or the two overlap or touch.

    Whole calendar months as ``relativedelta`` counts them (31 Jan to 28 Feb
    is a month), in integer arithmetic: this runs for every pair of
    neighbouring events when the browser lists a timeline.
    """
    since, until = earlier.end, later.start
    if since is None or until is None:
        return None
    if since.month is None or until.month is None:  # year precision
        years = until.year - since.year
        return _plural(years, "year") if years > 0 else None
    if since.day is None or until.day is None:  # month precision
        months = (until.year - since.year) * 12 + until.month - since.month
        return _describe_months(months) if months > 0 else None
    start = (since.year, since.month, since.day)
    end = (until.year, until.month, until.day)
    if end <= start:
        return None
    months = (until.year - since.year) * 12 + until.month - since.month
    if until.day < since.day and until.day < calendar.monthrange(until.year, until.month)[1]:
        months -= 1  # the day of the month is not reached yet (nor clipped to the month's end)
    if months > 0:
        return _describe_months(months)
    return _plural((_dt.date(*end) - _dt.date(*start)).days, "day")


def _describe_months(months: int) -> str:
    years, months = divmod(months, 12)
    if years:
        text = _plural(years, "year")
        return f"{text} {_plural(months, 'month')}" if months else text
    return _plural(months, "month")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"
