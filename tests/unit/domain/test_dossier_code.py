"""Dossier code AGENCY-YYMMDD-NNNN (Circular 01/2018 Art. 19) and the offline partition."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.dossier_code import (
    BLOCK_MAX,
    FALLBACK_SLOTS,
    FALLBACK_START,
    DossierCode,
    fallback_range,
    format_code,
    is_valid_agency_code,
    normalise_scanned_code,
    parse_code,
)

AGENCY = "000.00.11.H02"
_alnum = st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_upper = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
agencies = st.builds(
    lambda a, b, c, d, e: f"{a}.{b}.{c}.{d}{e}",
    st.text(_alnum, min_size=3, max_size=3),
    st.text(_alnum, min_size=2, max_size=2),
    st.text(_alnum, min_size=2, max_size=2),
    _upper,
    st.text(_alnum, min_size=2, max_size=2),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
seqs = st.integers(min_value=1, max_value=9999)


def test_format_example() -> None:
    assert format_code(AGENCY, date(2026, 2, 16), 1) == "000.00.11.H02-260216-0001"
    assert format_code("000.00.11.H02", date(2026, 12, 31), 9999).endswith("-261231-9999")


@pytest.mark.parametrize("seq", [0, -1, 10000, True])
def test_format_rejects_bad_sequence(seq: int) -> None:
    with pytest.raises(ValueError, match="9999"):
        format_code(AGENCY, date(2026, 1, 5), seq)


def test_format_rejects_bad_agency_and_year() -> None:
    with pytest.raises(ValueError, match="QCVN 102"):
        format_code("000.00.11.h02", date(2026, 1, 5), 1)
    with pytest.raises(ValueError):
        format_code(AGENCY, date(1999, 12, 31), 1)


@given(agencies, days, seqs)
def test_round_trip(agency: str, day: date, seq: int) -> None:
    code = format_code(agency, day, seq)
    assert parse_code(code) == DossierCode(agency, day, seq)
    assert str(parse_code(code)) == code
    assert normalise_scanned_code(code) == code
    assert normalise_scanned_code(f"  ]Q1{code.lower()}\r\n") == code


@pytest.mark.parametrize(
    "text",
    [
        "000.00.11.H02-260216-001",  # 3-digit sequence
        "000.00.11.H02-260230-0001",  # 30 February
        "000.00.11.H02-260216-0000",  # sequence 0
        " 000.00.11.H02-260216-0001",  # strict: no whitespace
        "000.00.11.h02-260216-0001",  # strict: uppercase
        "000.00.11.102-260216-0001",  # level letter must be a letter
        "",
    ],
)
def test_parse_is_strict(text: str) -> None:
    with pytest.raises(ValueError):
        parse_code(text)


def test_normalise_scanned_code_tolerates_noise() -> None:
    code = "000.00.11.H02-260216-0042"
    assert normalise_scanned_code("000.00.11.h02 - 260216 - 0042\n") == code
    assert normalise_scanned_code(f"https://dvc.example.vn/tra-cuu?ma={code}") == code
    assert normalise_scanned_code(f"Mã hồ sơ: {code}") == code
    assert normalise_scanned_code("001090012345") is None
    assert normalise_scanned_code("000.00.11.H02-260230-0001") is None
    assert normalise_scanned_code(None) is None
    assert normalise_scanned_code("X000.00.11.H02-260216-0042") is None


def test_is_valid_agency_code() -> None:
    assert is_valid_agency_code("000.00.11.H02")
    assert is_valid_agency_code("G22.99.01.H38")
    assert not is_valid_agency_code("000.00.11.H2")
    assert not is_valid_agency_code("000.00.11.H02-")
    assert not is_valid_agency_code("")


def test_fallback_partition() -> None:
    assert FALLBACK_START == 9000 and BLOCK_MAX == 8999
    assert fallback_range(1) == range(9001, 9051)
    assert fallback_range(2) == range(9051, 9101)
    seen: set[int] = set()
    for slot in range(1, FALLBACK_SLOTS + 1):
        r = fallback_range(slot)
        assert min(r) > BLOCK_MAX and max(r) <= 9999
        assert seen.isdisjoint(r)
        seen.update(r)
    assert max(seen) == 9999
    for bad in (0, 21, -1):
        with pytest.raises(ValueError):
            fallback_range(bad)
