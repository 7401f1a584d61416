"""Filing and returning through the public postal service: the rules a post-office agent
desk and an agency desk apply to consignments, fees and hand-over records. Pure: no I/O.

Sources (domain.md §7, §0.1):
- Decision 45/2016/QĐ-TTg Art. 6 [PD]: the postal worker checks the dossier against the
  published component list, collects the fees and charges and issues a fee receipt.
- Art. 7 [PD]: both sides sign a hand-over record (biên bản giao nhận) listing each dossier
  and its consignment number; the dossier counts as filed when the agency signs it.
- Art. 9–10 [PD]: results go back the same way; delivery is confirmed by signature.
- UPU S10 (identifier of postal items, the 13-character "EE123456785VN"): two letters of
  service, eight serial digits, a check digit, the ISO 3166-1 country code. Check digit:
  weights 8 6 4 2 3 5 9 7, 11 − (sum mod 11), with 10 → 0 and 11 → 5 (UPU standard S10
  [S: the standard's published summary; the full text is sold by the UPU and was not
  read]).
- The postal fee: VNPost's national price list for the public-administration postal
  service (bưu chính công ích) was not read. The bundled amounts (item up to 100 g, one
  way) are what two provincial post offices published: Khánh Hòa (vnpost.vn, within the
  province 26,000-30,000 VND, between provinces 30,500-31,500 VND, two ways = the sum)
  and Đà Nẵng (2021 agreement, 26,000 / 30,000 and 30,500 / 31,000 VND) [S each]; prices
  differ by province and Circular 22/2017/TT-BTTTT's ceilings were not read, so the bands
  stay marked unconfirmed [M] and an administrator replaces the table with the local one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.errors import FieldError
from app.domain.messages import register, tr

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")

#: Decision 45/2016 Art. 5: send the dossier only, receive the result only, or both.
POSTAL_OPTIONS = (1, 2, 3)

#: What the agency did with a dossier of a hand-over record (Decision 45/2016 Art. 7 and
#: Decree 61/2018 Art. 17's three outcomes), plus "missing": listed but not in the packet.
ROW_OUTCOMES = ("received", "supplement", "refused", "missing")
#: What became of a result the post office carried back (Decision 45/2016 Art. 10).
DELIVERY_OUTCOMES = ("delivered", "failed", "returned")

register(
    {
        "postal.s10_format": {
            "vi": "Số hiệu bưu gửi gồm 13 ký tự: 2 chữ cái, 8 chữ số, 1 số kiểm tra, 2 chữ "
            "cái mã nước (ví dụ EE123456785VN). Nếu quét mã mà ra chữ lạ, hãy tắt bộ gõ "
            "tiếng Việt.",
            "en": "A consignment number has 13 characters: 2 letters, 8 digits, a check "
            "digit and a 2-letter country code (e.g. EE123456785VN). If a scan gives odd "
            "letters, switch the Vietnamese keyboard off.",
        },
        "postal.s10_check": {
            "vi": "Số kiểm tra của số hiệu bưu gửi sai (phải là {expected}): kiểm tra lại "
            "nhãn hoặc quét lại.",
            "en": "The consignment number's check digit is wrong (it should be {expected}): "
            "check the label or scan it again.",
        },
        "postal.s10_used": {
            "vi": "Số hiệu bưu gửi {number} đã dùng cho hồ sơ khác (nhận lúc {when}).",
            "en": "Consignment number {number} is already used for another dossier "
            "(accepted at {when}).",
        },
        "postal.agency": {
            "vi": "Chọn cơ quan nhận hồ sơ trong danh sách cơ quan quầy này phục vụ.",
            "en": "Choose the agency among those this desk serves.",
        },
        "postal.option": {
            "vi": "Chọn hình thức: 1 – chỉ gửi hồ sơ; 2 – chỉ nhận kết quả; 3 – cả hai.",
            "en": "Choose the option: 1 send only, 2 receive the result only, 3 both.",
        },
        "postal.scope": {
            "vi": "Phạm vi chuyển phát không có trong bảng cước.",
            "en": "The delivery scope is not in the fee table.",
        },
        "postal.fee_table": {
            "vi": "Bảng cước bưu chính không hợp lệ: {detail}",
            "en": "The postal fee table is not valid: {detail}",
        },
        "postal.batch_code": {
            "vi": "Mã vạch không phải mã biên bản giao nhận (HSBC…).",
            "en": "The barcode is not a hand-over record code (HSBC…).",
        },
        "postal.row_code": {
            "vi": "Mã QR không phải một dòng của biên bản giao nhận.",
            "en": "The QR code is not a row of a hand-over record.",
        },
        "postal.row_batch": {
            "vi": "Dòng này thuộc biên bản khác ({batch}).",
            "en": "This row belongs to another hand-over record ({batch}).",
        },
        "postal.rows_hash": {
            "vi": "Các dòng đã quét không khớp mã kiểm tra của biên bản: thiếu hoặc thừa "
            "dòng; quét lại đủ {count} dòng.",
            "en": "The scanned rows do not match the record's check code: a row is missing "
            "or extra; scan all {count} rows again.",
        },
        "postal.outcome": {"vi": "Kết quả xử lý không hợp lệ.", "en": "Unknown outcome."},
        "postal.delivery": {
            "vi": "Kết quả phát không hợp lệ.",
            "en": "Unknown delivery outcome.",
        },
        "postal.delivery_reason": {
            "vi": "Phát không thành công cần ghi lý do.",
            "en": "A failed delivery needs a reason.",
        },
    }
)


# --- UPU S10 consignment numbers ---------------------------------------------------------


def s10_check_digit(serial: str) -> int:
    """The S10 check digit of eight serial digits (weights 8 6 4 2 3 5 9 7, mod 11)."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("an S10 serial is eight digits")
    c = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(c, c)


def normalise_s10(text: str) -> str:
    """Capitals, no spaces or dashes: labels print "EE 123 456 785 VN"."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def s10_errors(
    text: str, field: str = "consignment_no", lang: str | None = None
) -> list[FieldError]:
    """What is wrong with a consignment number (format, then check digit); [] when right."""
    value = normalise_s10(text)
    m = _S10.match(value)
    if m is None:
        return [FieldError(field, "postal.s10_format", tr("postal.s10_format", lang))]
    expected = s10_check_digit(m.group(2))
    if int(m.group(3)) != expected:
        return [
            FieldError(field, "postal.s10_check", tr("postal.s10_check", lang, expected=expected))
        ]
    return []


def make_s10(service: str, serial: int, country: str = "VN") -> str:
    """A valid S10 number (samples, tests, a post office printing its own labels)."""
    digits = f"{serial:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country}"


# --- the postal fee table ----------------------------------------------------------------


@dataclass(frozen=True)
class FeeBand:
    """The price of one service in one scope, with where the figure comes from."""

    scope: str
    name_vi: str
    send_vnd: int
    return_vnd: int
    source: str
    confidence: str


@dataclass(frozen=True)
class FeeTable:
    version: str
    note_vi: str
    bands: tuple[FeeBand, ...]

    def band(self, scope: str) -> FeeBand | None:
        return next((b for b in self.bands if b.scope == scope), None)

    @property
    def confirmed(self) -> bool:
        return all(b.confidence in ("V", "S") for b in self.bands)


class FeeTableError(ValueError):
    """A fee table that does not read; `where` names the entry ("bands[2].send_vnd"), so a
    screen can show the message next to that cell."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(tr("postal.fee_table", detail=where))


_BAND_TEXT = ("scope", "name_vi", "source")


def parse_fee_table(data: Mapping[str, Any]) -> FeeTable:
    """The table from its JSON form; FeeTableError (a ValueError) saying which entry is
    wrong."""
    if not isinstance(data, Mapping) or not isinstance(data.get("bands"), list):
        raise FeeTableError("bands")
    bands = []
    for i, b in enumerate(data["bands"]):
        if not isinstance(b, Mapping):
            raise FeeTableError(f"bands[{i}]")
        for key in (*_BAND_TEXT, "send_vnd", "return_vnd", "confidence"):
            if key not in b:
                raise FeeTableError(f"bands[{i}].{key}")
        if not str(b["scope"]).strip():
            raise FeeTableError(f"bands[{i}].scope")
        amounts = {}
        for key in ("send_vnd", "return_vnd"):
            try:
                amounts[key] = int(b[key])
            except (TypeError, ValueError):
                raise FeeTableError(f"bands[{i}].{key}") from None
            if amounts[key] < 0:
                raise FeeTableError(f"bands[{i}].{key}")
        if str(b["confidence"]) not in ("V", "S", "M"):
            raise FeeTableError(f"bands[{i}].confidence")
        bands.append(
            FeeBand(
                scope=str(b["scope"]).strip(),
                name_vi=str(b["name_vi"]),
                send_vnd=amounts["send_vnd"],
                return_vnd=amounts["return_vnd"],
                source=str(b["source"]),
                confidence=str(b["confidence"]),
            )
        )
    if not bands:
        raise FeeTableError("bands")
    seen: set[str] = set()
    for i, band in enumerate(bands):
        if band.scope in seen:
            raise FeeTableError(f"bands[{i}].scope")
        seen.add(band.scope)
    return FeeTable(str(data.get("version", "")), str(data.get("note_vi", "")), tuple(bands))


def postal_fee(table: FeeTable, scope: str, option: int) -> int:
    """The postal part of the fee for one dossier: sending, returning, or both (Art. 5)."""
    band = table.band(scope)
    if band is None:
        raise KeyError(scope)
    return (band.send_vnd if option in (1, 3) else 0) + (band.return_vnd if option in (2, 3) else 0)


# --- hand-over record codes --------------------------------------------------------------
#
# The record carries everything an agency desk needs to receive the packet with no network:
# one Code 128 of the batch (id, row count, digest of the rows) and one QR per row. A single
# QR cannot hold twenty dossiers legibly on A4; one per row also lets the officer take the
# dossiers one at a time. QR text is ASCII JSON (\u escapes): zbar reads non-ASCII QR bytes
# as Latin-1 or Shift-JIS by guess, so Vietnamese letters are escaped.

BATCH_PREFIX = "HSBC"
ROW_PREFIX = "HSR1:"
_BATCH = re.compile(r"^HSBC([0-9A-Z]{10,16})-(\d{1,3})-([0-9A-F]{8})$")


@dataclass(frozen=True)
class BatchCode:
    batch_no: str
    count: int
    digest: str

    def text(self) -> str:
        return f"{BATCH_PREFIX}{self.batch_no}-{self.count}-{self.digest}"


def rows_digest(consignments: Sequence[str]) -> str:
    """Eight hex digits over the record's consignment numbers in row order."""
    raw = "\n".join(consignments).encode("ascii")
    return hashlib.sha256(raw).hexdigest()[:8].upper()


def parse_batch_code(text: str) -> BatchCode:
    m = _BATCH.match((text or "").strip().upper())
    if m is None:
        raise ValueError(tr("postal.batch_code"))
    return BatchCode(m.group(1), int(m.group(2)), m.group(3))


@dataclass(frozen=True)
class RowData:
    """One row of a hand-over record: what the agency needs to receive that dossier."""

    batch_no: str
    #: The post office that handed it over and the agency it is for (office codes): an
    #: agency desk offline routes its answer back with them.
    from_office_code: str
    to_office_code: str
    pos: int
    item_id: str
    consignment_no: str
    procedure_code: str
    full_name: str
    id_number: str
    phone: str
    address: str
    option: int
    #: (component code, copy kind, quantity) as the post office checked them.
    components: tuple[tuple[str, str, int], ...]
    #: The post office's name (so an agency desk offline can name it on the return record).
    from_name: str = ""

    @property
    def papers(self) -> int:
        return sum(q for _c, _k, q in self.components)

    def qr_text(self) -> str:
        body = {
            "b": self.batch_no,
            "s": self.from_office_code,
            "r": self.to_office_code,
            "p": self.pos,
            "i": self.item_id,
            "c": self.consignment_no,
            "t": self.procedure_code,
            "n": self.full_name,
            "d": self.id_number,
            "f": self.phone,
            "a": self.address,
            "o": self.option,
            "k": [list(c) for c in self.components],
        }
        if self.from_name:
            body["sn"] = self.from_name
        return ROW_PREFIX + json.dumps(body, ensure_ascii=True, separators=(",", ":"))


def parse_row(text: str) -> RowData:
    """A row from its QR text; ValueError (translated) when it is not one."""
    if not (text or "").startswith(ROW_PREFIX):
        raise ValueError(tr("postal.row_code"))
    try:
        b = json.loads(text[len(ROW_PREFIX) :])
        row = RowData(
            batch_no=str(b["b"]),
            from_office_code=str(b["s"]),
            to_office_code=str(b["r"]),
            pos=int(b["p"]),
            item_id=str(b["i"]),
            consignment_no=str(b["c"]),
            procedure_code=str(b["t"]),
            full_name=str(b["n"]),
            id_number=str(b.get("d", "")),
            phone=str(b.get("f", "")),
            address=str(b.get("a", "")),
            option=int(b.get("o", 3)),
            components=tuple((str(c), str(k), int(q)) for c, k, q in b["k"]),
            from_name=str(b.get("sn", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(tr("postal.row_code")) from exc
    if s10_errors(row.consignment_no):
        raise ValueError(tr("postal.row_code"))
    return row


RETURN_PREFIX = "HSR2:"


@dataclass(frozen=True)
class ReturnRowData:
    """One row of a return record (agency → post office, Art. 9): a result to deliver."""

    batch_no: str
    from_office_code: str
    to_office_code: str
    pos: int
    item_id: str
    consignment_no: str
    dossier_code: str
    full_name: str
    result: str

    def qr_text(self) -> str:
        body = {
            "b": self.batch_no,
            "s": self.from_office_code,
            "r": self.to_office_code,
            "p": self.pos,
            "i": self.item_id,
            "c": self.consignment_no,
            "k": self.dossier_code,
            "n": self.full_name,
            "x": self.result,
        }
        return RETURN_PREFIX + json.dumps(body, ensure_ascii=True, separators=(",", ":"))


def parse_return_row(text: str) -> ReturnRowData:
    """A return row from its QR text; ValueError (translated) when it is not one."""
    if not (text or "").startswith(RETURN_PREFIX):
        raise ValueError(tr("postal.row_code"))
    try:
        b = json.loads(text[len(RETURN_PREFIX) :])
        row = ReturnRowData(
            batch_no=str(b["b"]),
            from_office_code=str(b["s"]),
            to_office_code=str(b["r"]),
            pos=int(b["p"]),
            item_id=str(b["i"]),
            consignment_no=str(b["c"]),
            dossier_code=str(b["k"]),
            full_name=str(b["n"]),
            result=str(b.get("x", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(tr("postal.row_code")) from exc
    if s10_errors(row.consignment_no):
        raise ValueError(tr("postal.row_code"))
    return row


def check_rows(code: BatchCode, rows: Sequence[RowData | ReturnRowData]) -> list[str]:
    """Problems between a batch code and the rows scanned for it ([] when they match)."""
    problems = [
        tr("postal.row_batch", batch=r.batch_no) for r in rows if r.batch_no != code.batch_no
    ]
    ordered = sorted(rows, key=lambda r: r.pos)
    if len(rows) != code.count or rows_digest([r.consignment_no for r in ordered]) != code.digest:
        problems.append(tr("postal.rows_hash", count=code.count))
    return problems
