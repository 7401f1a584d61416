"""UPU S10 numbers, the postal fee table and the hand-over record codes (issue 15)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.domain import postal
from app.domain.postal import (
    BatchCode,
    RowData,
    check_rows,
    make_s10,
    parse_batch_code,
    parse_fee_table,
    parse_row,
    postal_fee,
    rows_digest,
    s10_check_digit,
    s10_errors,
)
from app.resources import resources_dir


def test_s10_check_digit_of_the_standard_example() -> None:
    # 1·8 + 2·6 + 3·4 + 4·2 + 5·3 + 6·5 + 7·9 + 8·7 = 204; 204 mod 11 = 6; 11 − 6 = 5.
    assert s10_check_digit("12345678") == 5
    assert s10_errors("EE123456785VN") == []


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("00000000", 5),  # sum 0: 11 − 0 = 11 → 5
        ("10000000", 3),  # 1·8 = 8: 11 − 8 = 3
        ("00001000", 8),  # 1·3 (fifth weight): 11 − 3 = 8
        ("00000011", 6),  # 9 + 7 = 16, mod 11 = 5: 6
        ("10010000", 1),  # 8 + 2 = 10: 1
        ("01000100", 5),  # 6 + 5 = 11, mod 11 = 0: 11 → 5
        ("00100000", 7),  # 4: 7
        ("00000010", 2),  # 9: 2
        ("01000010", 7),  # 6 + 9 = 15, mod 11 = 4: 7
        ("00001010", 0),  # 3 + 9 = 12, mod 11 = 1: 10 → 0
    ],
)
def test_s10_check_digit_rules(serial: str, expected: int) -> None:
    assert s10_check_digit(serial) == expected


def test_wrong_check_digit_and_format_have_their_own_messages() -> None:
    (err,) = s10_errors("EE123456784VN")
    assert err.code == "postal.s10_check" and err.field == "consignment_no"
    assert "5" in err.message
    (err,) = s10_errors("EE12345678VN")
    assert err.code == "postal.s10_format"
    assert s10_errors(" ee 123 456 785 vn ") == []  # labels print groups; scanners lowercase


def test_make_s10_is_valid() -> None:
    for n in (0, 1, 99999999, 31415926):
        assert s10_errors(make_s10("RR", n)) == []


def test_bundled_fee_table_reads_and_is_marked_unconfirmed() -> None:
    data = json.loads((resources_dir() / "postal" / "fees.json").read_text("utf-8"))
    table = parse_fee_table(data)
    assert not table.confirmed
    assert {b.confidence for b in table.bands} == {"M"}
    assert all(b.source in data["sources"] for b in table.bands)
    band = table.band("province")
    assert band is not None
    assert postal_fee(table, "province", 3) == band.send_vnd + band.return_vnd
    assert postal_fee(table, "province", 1) == band.send_vnd
    assert postal_fee(table, "province", 2) == band.return_vnd
    with pytest.raises(KeyError):
        postal_fee(table, "moon", 1)


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"bands": []},
        {"bands": [{"scope": "x"}]},
        {
            "bands": [
                dict(scope="x", name_vi="x", send_vnd=-1, return_vnd=0, source="s", confidence="M")
            ]
        },
        {
            "bands": [
                dict(scope="x", name_vi="x", send_vnd=1, return_vnd=0, source="s", confidence="Q")
            ]
        },
        # A confidence mark is one of V, S, M (an empty or joined mark was once taken).
        *(
            {
                "bands": [
                    dict(scope="x", name_vi="x", send_vnd=1, return_vnd=0, source="s", confidence=c)
                ]
            }
            for c in ("", "VS")
        ),
    ],
)
def test_a_bad_fee_table_is_refused_with_a_reason(bad: dict) -> None:
    with pytest.raises(ValueError, match="Bảng cước"):
        parse_fee_table(bad)


def _row(pos: int, number: str, batch: str = "ABCDEF123456") -> RowData:
    return RowData(
        batch_no=batch,
        from_office_code="000.20.01.H01",
        to_office_code="000.00.31.H56",
        pos=pos,
        item_id=f"00000000-0000-4000-8000-{pos:012d}",
        consignment_no=number,
        procedure_code="BHXH-E02",
        full_name="Trần Thị Bích",
        id_number="001190123456",
        phone="0912345678",
        address="Số 3 ngõ Văn Chương, Hà Nội",
        option=3,
        components=(("BHXH-E02-01", "original", 1),),
    )


def test_row_qr_text_is_ascii_and_reads_back() -> None:
    row = _row(1, make_s10("EE", 1))
    text = row.qr_text()
    assert text.isascii()
    assert parse_row(text) == row
    with pytest.raises(ValueError, match="QR"):
        parse_row("HSR1:{not json")
    with pytest.raises(ValueError, match="QR"):
        parse_row(text.replace(row.consignment_no, "EE000000019VN"))  # bad check digit


def test_batch_code_round_trip_and_rows_check() -> None:
    rows = [_row(i, make_s10("EE", i)) for i in (1, 2, 3)]
    code = BatchCode("ABCDEF123456", 3, rows_digest([r.consignment_no for r in rows]))
    assert parse_batch_code(code.text()) == code
    assert check_rows(code, list(reversed(rows))) == []  # scanned in any order
    assert check_rows(code, rows[:2])  # a row not scanned
    other = _row(3, make_s10("EE", 3), batch="ZZZZZZ999999")
    assert check_rows(code, [*rows[:2], other])
    with pytest.raises(ValueError):
        parse_batch_code("EE123456785VN")


def test_row_outcomes_cover_decree_61_and_missing() -> None:
    assert postal.ROW_OUTCOMES == ("received", "supplement", "refused", "missing")


@pytest.mark.parametrize(
    ("band", "where"),
    [
        ({"send_vnd": "hai mươi nghìn"}, "bands[1].send_vnd"),
        ({"return_vnd": -5}, "bands[1].return_vnd"),
        ({"confidence": "X"}, "bands[1].confidence"),
        ({"scope": "province"}, "bands[1].scope"),  # the first band's scope again
        ({"scope": "  "}, "bands[1].scope"),
    ],
)
def test_a_bad_fee_table_entry_is_named_to_its_cell(band: dict, where: str) -> None:
    from app.domain.postal import FeeTableError

    good = dict(scope="province", name_vi="x", send_vnd=1, return_vnd=0, source="s", confidence="M")
    with pytest.raises(FeeTableError) as exc:
        parse_fee_table({"bands": [good, {**good, "scope": "inter", **band}]})
    assert exc.value.where == where


def test_a_row_carries_the_post_office_name_and_an_older_row_reads_without_it() -> None:
    named = replace(_row(1, make_s10("EE", 2)), from_name="Bưu điện Trung tâm Ba Đình")
    text = named.qr_text()
    assert text.isascii() and parse_row(text).from_name == "Bưu điện Trung tâm Ba Đình"
    assert '"sn"' not in _row(1, make_s10("EE", 2)).qr_text()  # no name, no key


def test_a_record_names_each_office_with_its_code() -> None:
    from app.print.postal import party

    assert party("Bưu điện Trung tâm Ba Đình", "000.20.01.H01") == (
        "Bưu điện Trung tâm Ba Đình (mã 000.20.01.H01)"
    )
    assert party("", "000.20.01.H01") == "000.20.01.H01"  # name unknown: the code alone
    assert party("000.20.01.H01", "000.20.01.H01") == "000.20.01.H01"
