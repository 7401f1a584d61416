"""Dossier code (mã hồ sơ) of Circular 01/2018/TT-VPCP Art. 19: ``AGENCY-YYMMDD-NNNN``.

AGENCY is the receiving unit's QCVN 102:2016 identifier (e.g. ``000.00.11.H02``), YYMMDD the
receipt date and NNNN the sequence of the dossier within that day (at most 9,999 per agency and
day). Only the structure is sure (domain.md §1.3); which characters each position may hold is
not, so the agency pattern is the permissive one suggested there.

Offline uniqueness: numbers up to ``BLOCK_MAX`` are handed out by the central server in blocks;
``FALLBACK_START``..9999 are never put in a block and are split between desk slots so that a
desk cut off from the server can still issue codes no other desk will issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.domain.messages import register, tr

AGENCY_PATTERN = r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}"
CODE_PATTERN = rf"({AGENCY_PATTERN})-(\d{{6}})-(\d{{4}})"

_AGENCY_RE = re.compile(rf"^{AGENCY_PATTERN}$")
_CODE_RE = re.compile(rf"^{CODE_PATTERN}$")
# Inside scanned text: not glued to other letters/digits on either side.
_CODE_SEARCH_RE = re.compile(rf"(?<![0-9A-Z.]){CODE_PATTERN}(?![0-9A-Z])")
# AIM symbology identifier some scanners prepend (``]Q1``, ``]C0``, ``]d2`` ...).
_AIM_PREFIX_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_WS_RE = re.compile(r"\s+")

SEQ_MIN = 1
SEQ_MAX = 9999
BLOCK_MAX = 8999
"""Highest sequence number the central server may hand out in a block."""
FALLBACK_START = 9000
"""Sequence numbers from here to 9999 are reserved for offline desk slots."""
FALLBACK_SLOTS = 20
FALLBACK_SLOT_SIZE = 50

register(
    {
        "dossier_code.seq_range": {
            "vi": "Số thứ tự hồ sơ trong ngày phải từ 1 đến 9999 (đã nhận {seq}).",
            "en": "The dossier's sequence number within the day must be 1 to 9999 (got {seq}).",
        },
        "dossier_code.agency": {
            "vi": "Mã đơn vị tiếp nhận «{agency}» không đúng dạng QCVN 102 (ví dụ 000.00.11.H02).",
            "en": "Receiving unit code «{agency}» is not a QCVN 102 code (e.g. 000.00.11.H02).",
        },
        "dossier_code.year": {
            "vi": "Năm tiếp nhận {year} nằm ngoài khoảng 2000–2099 mà mã hồ sơ biểu diễn được.",
            "en": "Receipt year {year} is outside 2000–2099, which a dossier code can express.",
        },
        "dossier_code.shape": {
            "vi": "«{text}» không phải mã hồ sơ dạng MÃĐƠNVỊ-YYMMDD-NNNN "
            "(ví dụ 000.00.11.H02-260216-0001).",
            "en": "«{text}» is not a dossier code of the form AGENCY-YYMMDD-NNNN "
            "(e.g. 000.00.11.H02-260216-0001).",
        },
        "dossier_code.date": {
            "vi": "Ngày trong mã hồ sơ «{text}» không tồn tại ({yymmdd}).",
            "en": "The date in dossier code «{text}» does not exist ({yymmdd}).",
        },
        "dossier_code.slot": {
            "vi": "Số khe quầy phải từ 1 đến {max} (đã nhận {slot}).",
            "en": "Desk slot must be 1 to {max} (got {slot}).",
        },
    }
)


@dataclass(frozen=True)
class DossierCode:
    agency: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_code(self.agency, self.day, self.seq)


def is_valid_agency_code(s: str) -> bool:
    """True for a QCVN 102-shaped unit code such as ``000.00.11.H02`` (exact, uppercase)."""
    return bool(_AGENCY_RE.match(s or ""))


def format_code(agency: str, day: date, seq: int, lang: str | None = None) -> str:
    """Build the code; ValueError (translated) for a bad agency, year or sequence."""
    if not is_valid_agency_code(agency):
        raise ValueError(tr("dossier_code.agency", lang, agency=agency))
    if not 2000 <= day.year <= 2099:
        raise ValueError(tr("dossier_code.year", lang, year=day.year))
    if isinstance(seq, bool) or not isinstance(seq, int) or not SEQ_MIN <= seq <= SEQ_MAX:
        raise ValueError(tr("dossier_code.seq_range", lang, seq=seq))
    return f"{agency}-{day:%y%m%d}-{seq:04d}"


def parse_code(text: str, lang: str | None = None) -> DossierCode:
    """Strict parse of an exact code (no whitespace, uppercase); ValueError otherwise."""
    m = _CODE_RE.match(text or "")
    if not m:
        raise ValueError(tr("dossier_code.shape", lang, text=text))
    return _from_match(m, text, lang)


def _from_match(m: re.Match[str], text: str, lang: str | None) -> DossierCode:
    agency, yymmdd, seq_s = m.group(1), m.group(2), m.group(3)
    try:
        day = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise ValueError(tr("dossier_code.date", lang, text=text, yymmdd=yymmdd)) from None
    seq = int(seq_s)
    if seq < SEQ_MIN:
        raise ValueError(tr("dossier_code.seq_range", lang, seq=seq))
    return DossierCode(agency, day, seq)


def normalise_scanned_code(text: str | None) -> str | None:
    """Canonical code from scanner or typed input, or None when it does not hold one.

    Tolerates lowercase, spaces, CR/LF, an AIM symbology prefix and surrounding text such as
    a label or a look-up URL; the code itself must still be complete and its date real.
    """
    if not text:
        return None
    t = _AIM_PREFIX_RE.sub("", text.strip())
    t = _WS_RE.sub("", t).upper()
    m = _CODE_SEARCH_RE.search(t)
    if not m:
        return None
    try:
        code = _from_match(m, m.group(0), None)
    except ValueError:
        return None
    return str(code)


def fallback_range(slot: int, lang: str | None = None) -> range:
    """Sequence numbers desk slot ``slot`` (1..20) may issue on its own while offline.

    Slot s owns ``9000 + (s-1)*50 + 1`` .. ``9000 + s*50``, capped at 9999, so slot 20 has 49
    numbers and 9000 itself is never issued. Ranges never overlap each other or a central block.
    """
    if isinstance(slot, bool) or not isinstance(slot, int) or not 1 <= slot <= FALLBACK_SLOTS:
        raise ValueError(tr("dossier_code.slot", lang, slot=slot, max=FALLBACK_SLOTS))
    first = FALLBACK_START + (slot - 1) * FALLBACK_SLOT_SIZE + 1
    last = min(FALLBACK_START + slot * FALLBACK_SLOT_SIZE, SEQ_MAX)
    return range(first, last + 1)
