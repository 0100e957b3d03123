"""Tests for citeline.dates: parsing, display and gaps of event dates."""

from __future__ import annotations

import calendar
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeline import dates
from citeline.dates import DateError, describe_gap, format_date, parse_date
from citeline.model import EventDate, PartialDate, Precision

# ---------------------------------------------------------------------------
# Accepted forms


@pytest.mark.parametrize(
    ("raw", "start", "precision"),
    [
        ("2023", PartialDate(2023), Precision.YEAR),
        ("2023-02", PartialDate(2023, 2), Precision.MONTH),
        ("2023-02-03", PartialDate(2023, 2, 3), Precision.DAY),
        ("0001", PartialDate(1), Precision.YEAR),
        ("9999-12-31", PartialDate(9999, 12, 31), Precision.DAY),
        ("2024-02-29", PartialDate(2024, 2, 29), Precision.DAY),
        ("20 March 2023", PartialDate(2023, 3, 20), Precision.DAY),
        ("March 2023", PartialDate(2023, 3), Precision.MONTH),
        ("4 Feb 2022", PartialDate(2022, 2, 4), Precision.DAY),
        ("Feb 2023", PartialDate(2023, 2), Precision.MONTH),
        ("March 20, 2023", PartialDate(2023, 3, 20), Precision.DAY),
        ("20th March 2023", PartialDate(2023, 3, 20), Precision.DAY),
        ("1st of March 2023", PartialDate(2023, 3, 1), Precision.DAY),
        ("March of 2023", PartialDate(2023, 3), Precision.MONTH),
        ("Sept 2023", PartialDate(2023, 9), Precision.MONTH),
        ("Mar. 2023", PartialDate(2023, 3), Precision.MONTH),
        ("4 Feb. 2022", PartialDate(2022, 2, 4), Precision.DAY),
        ("20\u00a0March 2023", PartialDate(2023, 3, 20), Precision.DAY),
        ("20-Mar-2023", PartialDate(2023, 3, 20), Precision.DAY),
        ("march 2023", PartialDate(2023, 3), Precision.MONTH),
        ("29 Feb 2024", PartialDate(2024, 2, 29), Precision.DAY),
        ("March 0099", PartialDate(99, 3), Precision.MONTH),
        ("5 March 0004", PartialDate(4, 3, 5), Precision.DAY),
        ("Jan 0001", PartialDate(1, 1), Precision.MONTH),
        ("29 Feb 0004", PartialDate(4, 2, 29), Precision.DAY),
    ],
)
def test_single_dates(raw: str, start: PartialDate, precision: Precision) -> None:
    date = parse_date(raw)
    assert date == EventDate(start, start, None, raw, False)
    assert date.precision is precision


def test_natural_month_is_not_filled_with_a_day() -> None:
    # dateutil would fill the day from its default; it must stay unknown.
    date = parse_date("Feb 2023")
    assert date.start is not None
    assert date.start.day is None
    assert date.first_day().isoformat() == "2023-02-01"
    assert date.last_day().isoformat() == "2023-02-28"


def test_surrounding_whitespace_is_stripped() -> None:
    date = parse_date("  2023-02 \n")
    assert date.raw == "2023-02"
    assert date.start == PartialDate(2023, 2)


@pytest.mark.parametrize(
    ("raw", "qualifier"),
    [("2022?", "?"), ("2022~", "~"), ("2022%", "%"), ("Feb 2023?", "?"), ("2023-02-03~", "~")],
)
def test_qualifier_on_a_single_date(raw: str, qualifier: str) -> None:
    date = parse_date(raw)
    assert date.qualifier == qualifier
    assert date.start == date.end
    assert date.start is not None and date.start.year in (2022, 2023)


@pytest.mark.parametrize(
    ("raw", "start", "end", "qualifier"),
    [
        ("2022/2023", PartialDate(2022), PartialDate(2023), None),
        ("2022-02/2022-03-04", PartialDate(2022, 2), PartialDate(2022, 3, 4), None),
        (
            "20 March 2023/22 March 2023",
            PartialDate(2023, 3, 20),
            PartialDate(2023, 3, 22),
            None,
        ),
        ("Feb 2023/2023-03-04", PartialDate(2023, 2), PartialDate(2023, 3, 4), None),
        ("2022 / 2023", PartialDate(2022), PartialDate(2023), None),
        ("2022/..", PartialDate(2022), None, None),
        ("../2023-05", None, PartialDate(2023, 5), None),
        ("2022-03-04/2022-03-04", PartialDate(2022, 3, 4), PartialDate(2022, 3, 4), None),
        ("2022?/2023", PartialDate(2022), PartialDate(2023), "?"),
        ("2022/2023~", PartialDate(2022), PartialDate(2023), "~"),
        ("2022?/2023?", PartialDate(2022), PartialDate(2023), "?"),
        ("2022?/2023~", PartialDate(2022), PartialDate(2023), "%"),
        ("2022~/2023%", PartialDate(2022), PartialDate(2023), "%"),
        ("2022~/..", PartialDate(2022), None, "~"),
        ("2022-03/2022", PartialDate(2022, 3), PartialDate(2022), None),
    ],
)
def test_intervals(
    raw: str, start: PartialDate | None, end: PartialDate | None, qualifier: str | None
) -> None:
    assert parse_date(raw) == EventDate(start, end, qualifier, raw, True)


# ---------------------------------------------------------------------------
# Errors


def _error(raw: str) -> DateError:
    with pytest.raises(DateError) as caught:
        parse_date(raw)
    error = caught.value
    assert isinstance(error, ValueError)
    assert str(error) == error.message
    assert 0 <= error.offset <= len(raw)
    return error


@pytest.mark.parametrize(
    ("raw", "fragments", "offset"),
    [
        ("", ["empty", "YYYY-MM-DD", "20 March 2023"], 0),
        ("   ", ["empty", "expected YYYY"], 0),
        ("../..", ["both ends", "'2022/..'"], 0),
        ("..", ["open end", "'2022/..'"], 0),
        (
            "2023-02-30",
            ["2023-02-30 is not a calendar date: February 2023 has 28 days"],
            8,
        ),
        ("2023-06-31", ["June 2023 has 30 days"], 8),
        ("2023-13", ["2023-13 is not a calendar date", "01 to 12"], 5),
        ("2023-00", ["01 to 12"], 5),
        ("0000", ["0001 to 9999"], 0),
        ("800", ["4 digits", "0800"], 0),
        ("20230", ["4 digits"], 0),
        ("-0500", ["not supported"], 0),
        ("2023-3-5", ["2023-03-05"], 0),
        ("20-03-2023", ["year first", "YYYY-MM-DD"], 0),
        ("3/20/2023", ["only one '/'", "2023-03-20"], 4),
        ("20.3.2023", ["YYYY-MM-DD"], 3),
        ("2023-03-20T10:00", ["times are not supported", "2023-03-20"], 10),
        ("2023-03-20 10:00", ["times are not supported"], 11),
        ("10:00", ["times are not supported"], 0),
        ("March 2023 10am", ["times are not supported"], 11),
        ("20 March 2023 00:00", ["times are not supported"], 14),
        ("Monday 20 March 2023", ["weekday", "'20 March 2023'"], 0),
        ("hello", ["unrecognised word 'hello'", "20 March 2023"], 0),
        ("sometime in March 2023", ["unrecognised word 'sometime'"], 0),
        ("March 2023 at 5", ["unrecognised word 'at'"], 11),
        ("June 2023 UTC", ["unrecognised word 'UTC'"], 10),
        # 'of' joins a day or a month to what follows ('4th of June', 'June of 2022')
        ("June 2022 of", ["'of' here says nothing of the date; remove it"], 10),
        ("Jun 2022 of 5", ["'of' here says nothing"], 9),
        ("of June 2022", ["'of' here says nothing"], 0),
        ("4 of of February 2022", ["'of' here says nothing"], 5),
        ("February of of 2022", ["'of' here says nothing"], 12),
        ("20 March", ["no 4-digit year", "'20 March 2023'"], 8),
        ("March", ["no 4-digit year"], 5),
        ("March 23", ["no 4-digit year"], 8),
        ("30 Feb 2023", ["not a calendar date: February 2023 has 28 days"], 0),
        ("March April 2023", ["only one month", "START/END"], 6),
        ("2023 March 2024", ["only one year"], 11),
        ("2023!", ["unexpected character '!'"], 4),
        ("Mar 2023-", ["unexpected '-'", "single spaces"], 8),
        ("May,, 2023", ["unexpected ','"], 4),
        (", May 2023", ["unexpected ','"], 0),
        ("Mar.. 2023", ["unexpected '.'"], 4),
        ("2022?~", ["single qualifier", "'%' both"], 4),
        ("~2022", ["after the date", "'2022~'"], 0),
        ("?", ["after the date"], 0),
        ("2022/", ["no end", "'..'"], 5),
        ("/2022", ["no start", "'..'"], 0),
        ("..?/2023", ["open end", "qualifier"], 2),
        (
            "2022-03-04/2022-01-01",
            ["the interval ends (2022-01-01) before it starts (2022-03-04)"],
            11,
        ),
    ],
)
def test_errors(raw: str, fragments: list[str], offset: int) -> None:
    error = _error(raw)
    for fragment in fragments:
        assert fragment in error.message
    assert error.offset == offset


@pytest.mark.parametrize(
    ("raw", "second_half"),
    [
        ("2022/2023-02-30", "2023-02-30"),
        ("2022/hello", "hello"),
        ("20 March 2023/30 Feb 2023", "30 Feb 2023"),
        ("2022 / 2023-13", "2023-13"),
        ("2022-03-04/2022-01-01", "2022-01-01"),
        ("2022/2023T10:00", "2023T10:00"),
        ("2022/2023?~", "2023?~"),
    ],
)
def test_errors_in_the_second_half_point_into_it(raw: str, second_half: str) -> None:
    assert _error(raw).offset >= raw.index(second_half)


def test_offset_counts_leading_whitespace_of_the_raw_string() -> None:
    raw = "  2023-02-30"
    assert _error(raw).offset == raw.index("30")


def test_non_text_is_a_date_error() -> None:
    with pytest.raises(DateError, match="must be text"):
        parse_date(2023)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Display


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("2022-02-04", "4 Feb 2022"),
        ("4 Feb 2022", "4 Feb 2022"),
        ("2023-02", "Feb 2023"),
        ("2022", "2022"),
        ("0800", "0800"),
        ("2023-03-20/2023-03-22", "20–22 Mar 2023"),
        ("2023-02-28/2023-03-02", "28 Feb – 2 Mar 2023"),
        ("2022-12-28/2023-01-02", "28 Dec 2022 – 2 Jan 2023"),
        ("2022-12/2023-01", "Dec 2022 – Jan 2023"),
        ("2022/2023", "2022 – 2023"),
        ("2023-02/2023-03", "Feb – Mar 2023"),
        ("2022-02/2022-03-04", "Feb – 4 Mar 2022"),
        ("2022/2023-05", "2022 – May 2023"),
        ("2022-03-04/2022-03-04", "4 Mar 2022"),
        ("2022-02-04/..", "from 4 Feb 2022"),
        ("../2023", "until 2023"),
        ("2023-02~", "c. Feb 2023"),
        ("2022?", "2022?"),
        ("2022%", "c. 2022?"),
        ("2023-03-20~/2023-03-22?", "c. 20–22 Mar 2023?"),
        ("2022~/..", "c. from 2022"),
    ],
)
def test_format_date(raw: str, shown: str) -> None:
    assert format_date(parse_date(raw)) == shown


def test_format_uses_an_en_dash_and_no_hyphen() -> None:
    shown = format_date(parse_date("2022/2023"))
    assert "\u2013" in shown
    assert "-" not in shown


# ---------------------------------------------------------------------------
# Gaps


@pytest.mark.parametrize(
    ("earlier", "later", "gap"),
    [
        ("2023-03-01", "2023-03-04", "3 days"),
        ("2023-03-01", "2023-03-02", "1 day"),
        ("2023-01", "2023-08", "7 months"),
        ("2023-01", "2023-02", "1 month"),
        ("2022", "2023", "1 year"),
        ("2020", "2022", "2 years"),
        ("2022-01-10", "2023-03-20", "1 year 2 months"),
        ("2021-05-01", "2023-05-01", "2 years"),
        # The coarser precision decides: a month date against a day date.
        ("2023-01-30", "2023-08", "7 months"),
        ("2023-01", "2023-01-31", None),
        ("2022-12-31", "2023", "1 year"),
        # The gap runs from the end of the earlier event.
        ("2022-01-01/2022-06-30", "2022-07-03", "3 days"),
        ("2023-03-01", "2023-03-01", None),
        ("2023-03-01/2023-03-10", "2023-03-05", None),
        ("2023", "2022", None),
        ("2022/..", "2025", None),
        ("2022", "../2025", None),
    ],
)
def test_describe_gap(earlier: str, later: str, gap: str | None) -> None:
    assert describe_gap(parse_date(earlier), parse_date(later)) == gap


# ---------------------------------------------------------------------------
# Properties


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(1, 9999))
    month = draw(st.none() | st.integers(1, 12))
    if month is None:
        return PartialDate(year)
    day = draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1]))
    return PartialDate(year, month, day)


QUALIFIER = st.sampled_from([None, "?", "~", "%"])


def _combined(first: str | None, second: str | None) -> str | None:
    if first is None or first == second:
        return second
    return first if second is None else "%"


@settings(max_examples=200)
@given(partial_dates(), QUALIFIER)
def test_single_iso_round_trips(date: PartialDate, qualifier: str | None) -> None:
    raw = date.iso() + (qualifier or "")
    parsed = parse_date(raw)
    assert parsed == EventDate(date, date, qualifier, raw, False)
    assert parsed.start is not None and parsed.start.iso() == date.iso()


@settings(max_examples=200)
@given(partial_dates(), partial_dates(), QUALIFIER, QUALIFIER, st.sampled_from(["", "s", "e"]))
def test_interval_iso_round_trips(
    first: PartialDate, second: PartialDate, q1: str | None, q2: str | None, open_side: str
) -> None:
    if second.last_day() < first.first_day():
        first, second = second, first
    start: PartialDate | None = None if open_side == "s" else first
    end: PartialDate | None = None if open_side == "e" else second
    q1 = q1 if start else None
    q2 = q2 if end else None
    raw = "/".join(d.iso() + (q or "") if d else ".." for d, q in ((start, q1), (end, q2)))
    parsed = parse_date(raw)
    assert parsed == EventDate(start, end, _combined(q1, q2), raw, True)
    format_date(parsed)


@settings(max_examples=200)
@given(partial_dates().filter(lambda d: d.month is not None), st.booleans())
def test_natural_form_round_trips(date: PartialDate, long_name: bool) -> None:
    assert date.month is not None
    month = calendar.month_name[date.month] if long_name else calendar.month_abbr[date.month]
    raw = f"{month} {date.year:04d}"
    if date.day is not None:
        raw = f"{date.day} {raw}"
    assert parse_date(raw).start == date


def _reading(read: Callable[[str, int], PartialDate], text: str, base: int) -> object:
    try:
        return read(text, base)
    except DateError as error:
        return (error.message, error.offset)


@settings(max_examples=300)
@given(
    st.sampled_from(["D M Y", "M Y", "M D, Y"]),
    st.integers(0, 99),
    st.sampled_from([*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"]),
    st.integers(0, 9999),
    st.integers(0, 3),
)
def test_common_forms_read_as_dateutil_would(
    shape: str, day: int, month: str, year: int, base: int
) -> None:
    """The common forms, read without dateutil: the same date, or the same error at the
    same place, as the checked reading (tokens, then dateutil) gives."""
    text = shape.replace("D", str(day)).replace("M", month).replace("Y", f"{year:04d}")
    assert dates._common_form().fullmatch(text)
    assert _reading(dates._natural_date, text, base) == _reading(
        dates._checked_natural_date, text, base
    )


@pytest.mark.parametrize(
    "raw", ["20 march 2023", "20 March, 2023", "March 20 2023", "20th March 2023",
            "20  March 2023", "Feb. 4, 2022", "2023 March"],
)
def test_other_natural_forms_are_checked_by_dateutil(raw: str) -> None:
    assert not dates._common_form().fullmatch(raw)
    assert parse_date(raw).start.month in (2, 3)


def test_common_forms_need_no_dateutil() -> None:
    code = (
        "import sys; from citeline.dates import parse_date;"
        " [parse_date(t) for t in ('20 March 2023', 'Sept 2022', 'March 4, 2022',"
        " '2022-02-04/4 Mar 2022?')];"
        " print('dateutil' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_date_error(raw: str) -> None:
    try:
        parsed = parse_date(raw)
    except DateError as error:
        assert error.message
        assert 0 <= error.offset <= len(raw)
    else:
        assert isinstance(format_date(parsed), str)


DATE_ALPHABET = st.sampled_from([*"0123456789-/.?~% ,", "Mar", "May", "of", "T", "1st"])


@settings(max_examples=200)
@given(st.lists(DATE_ALPHABET, max_size=14).map("".join))
def test_date_like_text_raises_only_date_error(raw: str) -> None:
    try:
        parsed = parse_date(raw)
    except DateError as error:
        assert 0 <= error.offset <= len(raw)
    else:
        assert format_date(parsed)
        if parsed.start and parsed.end:
            assert parsed.start.first_day() <= parsed.end.last_day()


@settings(max_examples=200)
@given(st.integers(0, 9999), st.integers(0, 19), st.integers(0, 39), st.integers(1, 3))
def test_plain_iso_dates_read_as_the_general_path_reads_them(
    year: int, month: int, day: int, parts: int
) -> None:
    raw = "-".join([f"{year:04d}", f"{month:02d}", f"{day:02d}"][:parts])
    assert _reading(lambda text, base: parse_date(text), raw, 0) == _reading(
        dates._single, raw, 0
    )
