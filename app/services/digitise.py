"""Digitising at reception: a component's pages become one PDF, stored by its SHA-256.

Decree 61/2018 Art. 17(1): the officer scans the dossier and keeps it electronically at
reception; the national index counts the dossiers digitised there (domain.md §0.1).

How a component is stored:
- pages (scanned PNGs, imported JPEG/PNG, pages of imported PDFs) in the officer's order,
  each with its rotation, become one PDF: images embedded losslessly by img2pdf (a JPEG
  keeps its bytes, a PNG its pixels), PDF pages copied by pikepdf; pages are read one at a
  time from their files and the PDF is written to disk, never built whole in memory;
- the file is named by its SHA-256 in `<data folder>/files/ab/cd/<sha256>.pdf` (the same
  pages stored twice take one file) and recorded by a `component_digitised` event, with its
  `stored_files` row, in ONE transaction: the event never names a file that is not there.
  This plain PDF is the legal digitisation and takes a fraction of a second a page: the
  receipt waits for it, never for OCR;
- afterwards, in the background, PDF/A-2b with a Vietnamese text layer when OCRmyPDF,
  Tesseract and its Vietnamese data are installed and the `digitise.ocr` setting is on
  (`upgrade_to_pdfa`, seconds a page, outside any transaction): a second
  `component_digitised` event for the same component, `pdfa` true and `replaces` naming
  the plain file, written only if that plain file is still the component's latest.
  Pending upgrades are derived from the events (`pending_upgrades`), so they survive a
  restart; a failed one leaves a note in the store and is not tried again by itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError, FieldError, ValidationFailed
from app.domain.lifecycle import EventType
from app.domain.messages import register, tr
from app.models import Dossier, Event, StoredFile
from app.services.context import DeskContext, get_setting
from app.services.event_log import record_event
from app.services.setup import current_desk

log = logging.getLogger(__name__)

FILES_DIRNAME = "files"
CHUNK = 1024 * 1024
MB = 1024 * 1024

register(
    {
        "digitise.bad_type": {
            "vi": "Tệp {name} không phải ảnh JPEG/PNG hay PDF.",
            "en": "{name} is not a JPEG/PNG image or a PDF.",
        },
        "digitise.unreadable": {
            "vi": "Không đọc được tệp {name} (tệp hỏng?).",
            "en": "{name} cannot be read (is the file damaged?).",
        },
        "digitise.page_too_big": {
            "vi": "Trang {n} ({size} MB) vượt giới hạn {max} MB mỗi trang; quét lại với độ "
            "phân giải thấp hơn hoặc đổi giới hạn trong Cài đặt.",
            "en": "Page {n} ({size} MB) is over the limit of {max} MB a page; scan again at a "
            "lower resolution or change the limit in Settings.",
        },
        "digitise.dossier_too_big": {
            "vi": "Các tệp số hóa của hồ sơ sẽ là {size} MB, vượt giới hạn {max} MB mỗi hồ "
            "sơ (Cài đặt).",
            "en": "The dossier's digitised files would be {size} MB, over the limit of {max} MB "
            "a dossier (Settings).",
        },
        "digitise.pdfa_too_big": {
            "vi": "Bản PDF/A sẽ làm các tệp số hóa của hồ sơ thành {size} MB, vượt giới hạn "
            "{max} MB mỗi hồ sơ (Cài đặt); giữ bản PDF thường.",
            "en": "The PDF/A copy would make the dossier's digitised files {size} MB, over the "
            "limit of {max} MB a dossier (Settings); the plain PDF is kept.",
        },
        "digitise.no_pages": {
            "vi": "Chưa có trang nào để lưu.",
            "en": "There is no page to save.",
        },
        "digitise.no_component": {
            "vi": "Hồ sơ không có thành phần {code}.",
            "en": "The dossier has no component {code}.",
        },
        "digitise.no_dossier": {"vi": "Không tìm thấy hồ sơ.", "en": "Dossier not found."},
        "digitise.no_ocr": {
            "vi": "Chưa cài OCRmyPDF (và dữ liệu tiếng Việt của Tesseract): tệp được lưu là "
            "PDF thường, không phải PDF/A có lớp chữ.",
            "en": "OCRmyPDF (with Tesseract's Vietnamese data) is not installed: the file is "
            "kept as a plain PDF, not PDF/A with a text layer.",
        },
        "digitise.no_vie": {
            "vi": "Tesseract chưa có dữ liệu tiếng Việt (gói tesseract-ocr-vie): tệp được lưu "
            "là PDF thường, không phải PDF/A có lớp chữ.",
            "en": "Tesseract has no Vietnamese data (package tesseract-ocr-vie): the file is "
            "kept as a plain PDF, not PDF/A with a text layer.",
        },
        "digitise.ocr_failed": {
            "vi": "OCRmyPDF không tạo được PDF/A ({why}); tệp được lưu là PDF thường.",
            "en": "OCRmyPDF could not make PDF/A ({why}); the file is kept as a plain PDF.",
        },
        "digitise.damaged": {
            "vi": "Tệp số hóa {sha} bị hỏng (mã băm không khớp).",
            "en": "The digitised file {sha} is damaged (its hash does not match).",
        },
        "digitise.missing": {
            "vi": "Tệp số hóa chưa có trên máy này; cần đồng bộ với máy chủ.",
            "en": "The digitised file is not on this desk yet; it needs a sync.",
        },
    }
)


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRef:
    """One page to store: a file, the page inside it (PDFs), its rotation and origin."""

    path: Path
    kind: Literal["image", "pdf"]
    index: int = 0
    rotate: int = 0  # clockwise, a multiple of 90
    source: Literal["scanner", "file"] = "file"

    def rotated(self, by: int) -> PageRef:
        return PageRef(self.path, self.kind, self.index, (self.rotate + by) % 360, self.source)


def _kind_of(path: Path) -> Literal["image", "pdf"] | None:
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    return None


def pages_from_files(
    paths: Sequence[Path], *, source: Literal["scanner", "file"] = "file"
) -> list[PageRef]:
    """The pages of image and PDF files, in order; ValidationFailed names a bad file."""
    import pikepdf

    pages: list[PageRef] = []
    for path in paths:
        try:
            kind = _kind_of(path)
        except OSError:
            kind = None
        if kind is None:
            raise ValidationFailed(
                [FieldError("files", "digitise.bad_type", tr("digitise.bad_type", name=path.name))]
            )
        if kind == "image":
            pages.append(PageRef(path, "image", 0, 0, source))
            continue
        try:
            with pikepdf.open(path) as pdf:
                count = len(pdf.pages)
        except (pikepdf.PdfError, OSError):
            raise ValidationFailed(
                [
                    FieldError(
                        "files", "digitise.unreadable", tr("digitise.unreadable", name=path.name)
                    )
                ]
            ) from None
        pages.extend(PageRef(path, "pdf", i, 0, source) for i in range(count))
    return pages


def _page_bytes(page: PageRef, pdf_sizes: dict[Path, tuple[int, int]]) -> int:
    """The size a page brings: an image file's size, a PDF's size shared by its pages."""
    if page.kind == "image":
        return page.path.stat().st_size
    size, count = pdf_sizes[page.path]
    return size // max(count, 1)


def check_page_sizes(pages: Sequence[PageRef], max_page_bytes: int) -> None:
    """ValidationFailed naming the first page over the per-page limit (1-based)."""
    counts: dict[Path, int] = {}
    for p in pages:
        if p.kind == "pdf":
            counts[p.path] = counts.get(p.path, 0) + 1
    import pikepdf

    pdf_sizes: dict[Path, tuple[int, int]] = {}
    for path in counts:
        with pikepdf.open(path) as pdf:
            pdf_sizes[path] = (path.stat().st_size, len(pdf.pages))
    for n, p in enumerate(pages, 1):
        size = _page_bytes(p, pdf_sizes)
        if size > max_page_bytes:
            msg = tr("digitise.page_too_big", n=n, size=_mb(size), max=_mb(max_page_bytes))
            raise ValidationFailed([FieldError("pages", "digitise.page_too_big", msg)])


def _mb(n: int) -> str:
    return f"{n / MB:.1f}".replace(".", ",")


# --- building the PDF --------------------------------------------------------------------


def _image_pdf(path: Path, work: Path, n: int) -> Path:
    """A one-page PDF of an image, lossless: img2pdf embeds JPEG bytes and PNG pixels as
    they are; an image img2pdf refuses (alpha channel, odd mode) is first turned into RGB
    PNG, still lossless for its colours."""
    import img2pdf

    out = work / f"img-{n:05d}.pdf"
    try:
        with out.open("wb") as f:
            img2pdf.convert(str(path), outputstream=f)
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError, OSError):
        from PIL import Image, UnidentifiedImageError

        flat = work / f"img-{n:05d}.png"
        try:
            with Image.open(path) as im:
                rgb = im.convert("RGB")
                dpi = im.info.get("dpi")
                rgb.save(flat, "PNG", **({"dpi": dpi} if dpi else {}))
        except (UnidentifiedImageError, OSError, ValueError):
            raise ValidationFailed(
                [
                    FieldError(
                        "files", "digitise.unreadable", tr("digitise.unreadable", name=path.name)
                    )
                ]
            ) from None
        with out.open("wb") as f:
            img2pdf.convert(str(flat), outputstream=f)
    return out


def build_pdf(
    pages: Sequence[PageRef], out: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write `pages` (in this order, with their rotations) to `out` as one PDF.

    Each source is opened from its file (pikepdf reads lazily; img2pdf holds one image at a
    time), and the result is streamed to disk. Returns the page count.
    """
    import pikepdf

    if not pages:
        raise ValidationFailed([FieldError("pages", "digitise.no_pages", tr("digitise.no_pages"))])
    with (
        tempfile.TemporaryDirectory(dir=out.parent, prefix=".build-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        work = Path(tmp)
        dest = stack.enter_context(pikepdf.new())
        opened: dict[Path, pikepdf.Pdf] = {}
        for n, page in enumerate(pages):
            if page.kind == "image":
                src = stack.enter_context(pikepdf.open(_image_pdf(page.path, work, n)))
                index = 0
            else:
                if page.path not in opened:
                    try:
                        opened[page.path] = stack.enter_context(pikepdf.open(page.path))
                    except (pikepdf.PdfError, OSError):
                        raise ValidationFailed(
                            [
                                FieldError(
                                    "files",
                                    "digitise.unreadable",
                                    tr("digitise.unreadable", name=page.path.name),
                                )
                            ]
                        ) from None
                src, index = opened[page.path], page.index
            dest.pages.append(src.pages[index])
            if page.rotate % 360:
                dest.pages[-1].rotate(page.rotate % 360, relative=True)
            if progress is not None:
                progress(n + 1, len(pages))
        dest.docinfo["/Producer"] = "onestop desk (img2pdf, pikepdf)"
        # QPDF's default /ID mixes in the clock: the same pages a second apart hashed
        # differently, so "stored twice, one file" held only within one second.
        dest.save(out, deterministic_id=True)
    return len(pages)


# --- OCR / PDF/A (optional) --------------------------------------------------------------

#: The Tesseract languages the text layer needs: Vietnamese papers, with English beside it.
OCR_LANGS = ("vie", "eng")


def ocr_program() -> tuple[str | None, str]:
    """(the ocrmypdf program, "") when OCRmyPDF, Tesseract and its Vietnamese data are
    installed, else (None, the message key saying what is missing).

    Checked on each use (a few ms) so that installing the tool takes effect without a
    restart; OCRmyPDF would fail later, after minutes, without the language data.
    """
    program = shutil.which("ocrmypdf")
    tesseract = shutil.which("tesseract")
    if program is None or tesseract is None:
        return None, "digitise.no_ocr"
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None, "digitise.no_ocr"
    # The first line is a header ("List of available languages in ..."); one code a line.
    langs = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()[1:]}
    if not set(OCR_LANGS) <= langs:
        return None, "digitise.no_vie"
    return program, ""


def make_pdfa(
    src: Path,
    out: Path,
    program: str,
    *,
    timeout: float = 600,
    cancel: threading.Event | None = None,
) -> str | None:
    """OCRmyPDF: PDF/A-2b with a Vietnamese text layer; None when done, else why not.

    `--pdfa-image-compression lossless` and `-O 0` keep the pages as they were stored: with
    the defaults Ghostscript turns PNG scans into JPEG (lossy) and the tests caught it.
    """
    args = [
        *_ocr_command(program),
        "--output-type",
        "pdfa-2",
        "--pdfa-image-compression",
        "lossless",
        "--optimize",
        "0",
        "-l",
        "+".join(OCR_LANGS),
        "--skip-text",
        "--quiet",
        str(src),
        str(out),
    ]
    try:
        # Its own process group: on a time-out Tesseract and Ghostscript go with it.
        proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=os.name == "posix",
            **_low_priority(),  # type: ignore[call-overload]
        )
    except OSError as exc:
        return str(exc)[:200]
    deadline = time.monotonic() + timeout
    while True:
        try:
            _out, err = proc.communicate(timeout=min(0.5, max(timeout, 0.01)))
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                _kill_group(proc)
                proc.communicate()
                return CANCELLED
            if time.monotonic() >= deadline:
                _kill_group(proc)
                proc.communicate()
                return f"timed out after {timeout:.0f} s"
    if proc.returncode != 0:
        return (err.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:200]
    return None


#: What `make_pdfa` returns when it was stopped (the desk closing): not a failure.
CANCELLED = "cancelled"


def _kill_group(proc: subprocess.Popen[str]) -> None:
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
    else:
        proc.kill()


def pdfa_id(path: Path) -> tuple[str, str] | None:
    """The PDF/A identification the file's XMP declares, (part, conformance) e.g.
    ("2", "B"); None when it declares none (no validator is installable here: this is
    what the file says of itself, not a conformance check)."""
    import pikepdf

    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        part = meta.get("pdfaid:part")
        conformance = meta.get("pdfaid:conformance")
    return (str(part), str(conformance or "")) if part else None


def pdfa_part(path: Path) -> str | None:
    """The PDF/A part the file declares (e.g. "2"), None when it declares none."""
    found = pdfa_id(path)
    return found[0] if found else None


# --- the content-addressed store ---------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class FileStore:
    """Files named by their SHA-256 under one folder; written whole or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha: str) -> Path:
        return self.root / sha[:2] / sha[2:4] / f"{sha}.pdf"

    def has(self, sha: str) -> bool:
        return self.path_for(sha).is_file()

    def temp_path(self, suffix: str = ".part") -> Path:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.root / "tmp", suffix=suffix)
        os.close(fd)
        return Path(name)

    def put(self, tmp: Path, sha: str | None = None) -> tuple[str, int]:
        """Move a finished temp file into place under its hash (fsync'd first)."""
        sha = sha or sha256_file(tmp)
        size = tmp.stat().st_size
        final = self.path_for(sha)
        if final.is_file() and final.stat().st_size == size:
            tmp.unlink()
            return sha, size
        final.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
        return sha, size

    def verify(self, sha: str) -> bool:
        """True when the file is here and its bytes still hash to its name."""
        path = self.path_for(sha)
        return path.is_file() and sha256_file(path) == sha

    def all(self) -> Iterator[Path]:
        yield from self.root.glob("??/??/*.pdf")

    # OCRmyPDF stamps each run with its time and a fresh document id, so the same pages
    # made PDF/A twice would give two files. A note `pdfa/<plain sha>` naming the PDF/A
    # made from that plain PDF lets the second time reuse the first (and skip the OCR).
    # It is a local cache only: backups and other desks never need it.

    def pdfa_of(self, plain_sha: str) -> str | None:
        """The PDF/A file made before from the plain PDF `plain_sha`, if still sound."""
        note = self.root / "pdfa" / plain_sha
        try:
            sha = note.read_text().strip()
        except OSError:
            return None
        return sha if len(sha) == 64 and self.verify(sha) else None

    def remember_pdfa(self, plain_sha: str, sha: str) -> None:
        (self.root / "pdfa").mkdir(parents=True, exist_ok=True)
        tmp = self.root / "pdfa" / f"{plain_sha}.tmp"
        tmp.write_text(sha)
        os.replace(tmp, self.root / "pdfa" / plain_sha)


def mirror_files(src: FileStore, dst: FileStore) -> int:
    """Copy into `dst` the files of `src` it lacks, each checked by its hash on the way
    (a damaged source file is left out and logged by its hash); returns how many.

    Files never change under their name, so a backup of them only ever adds: each backup
    folder keeps one `files` store beside its database copies.
    """
    copied = 0
    for path in src.all():
        sha = path.stem
        if dst.has(sha):
            continue
        tmp = dst.temp_path()
        h = hashlib.sha256()
        with path.open("rb") as f, tmp.open("wb") as out:
            while chunk := f.read(CHUNK):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != sha:
            tmp.unlink()
            log.error("digitised file %s is damaged; not copied", sha[:12])
            continue
        dst.put(tmp, sha)
        copied += 1
    return copied


def store_of(ctx: DeskContext) -> FileStore:
    if ctx.data_dir is None:
        raise RuntimeError("the desk has no data folder")
    return FileStore(ctx.data_dir / FILES_DIRNAME)


# --- the use case ------------------------------------------------------------------------


@dataclass(frozen=True)
class DigitiseResult:
    event_id: str
    sha256: str
    size: int
    pages: int
    pdfa: bool
    #: What the officer should know (OCRmyPDF missing or failed), translated; "" if none.
    note: str
    #: The PDF/A copy is wanted and can be made: `upgrade_to_pdfa` should follow.
    ocr_pending: bool = False


@dataclass(frozen=True)
class ComponentFile:
    """The latest file of one component of a dossier, and where it is."""

    component_code: str
    sha256: str
    size: int
    pages: int
    pdfa: bool
    at: datetime
    #: here (not yet at the central), synced (here and at the central), remote (at the
    #: central, not fetched here yet)
    state: str
    #: Text recognition (`files_of` fills it): done (PDF/A), pending, failed, off (setting
    #: off or the tool missing), "" when not asked.
    ocr: str = ""
    #: Why the PDF/A copy failed (ocr == "failed"), as OCRmyPDF said it.
    ocr_note: str = ""


def ocr_wanted(session: Session) -> bool:
    """The `digitise.ocr` setting (on unless set to 0)."""
    return (get_setting(session, "digitise.ocr") or "1").strip() not in {"0", "false", "no"}


def limits(session: Session) -> tuple[int, int]:
    """(per page, per dossier) in bytes, from the settings."""
    page = float(get_setting(session, "digitise.max_page_mb") or 0) or 20.0
    dossier = float(get_setting(session, "digitise.max_dossier_mb") or 0) or 200.0
    return int(page * MB), int(dossier * MB)


def _other_components_size(session: Session, dossier_id: str, component_code: str) -> int:
    """Bytes of the dossier's latest files but `component_code`'s: what a new file of that
    component (a scan, or its PDF/A copy) is added to under the per-dossier limit."""
    return sum(
        f.size for f in dossier_files(session, dossier_id) if f.component_code != component_code
    )


def dossier_files(session: Session, dossier_id: str) -> list[ComponentFile]:
    """Each digitised component's latest file (a component digitised again replaces it)."""
    events = session.scalars(
        select(Event)
        .where(
            Event.dossier_id == dossier_id,
            Event.type == EventType.COMPONENT_DIGITISED.value,
        )
        .order_by(Event.occurred_at, Event.desk_seq)
    ).all()
    latest: dict[str, Event] = {}
    for e in events:
        latest[e.payload["component_code"]] = e
    out = []
    for code, e in latest.items():
        p = e.payload
        row = session.get(StoredFile, p["sha256"])
        if row is None or not row.present:
            state = "remote"
        else:
            state = "synced" if row.uploaded_at else "here"
        out.append(
            ComponentFile(
                code,
                p["sha256"],
                int(p["size"]),
                int(p["pages"]),
                bool(p.get("pdfa")),
                e.occurred_at,
                state,
            )
        )
    return out


def _check_component(s: Session, dossier_id: str, component_code: str) -> Dossier:
    dossier = s.get(Dossier, dossier_id)
    if dossier is None:
        raise DomainError("digitise.no_dossier", tr("digitise.no_dossier"))
    if component_code not in {c.component_code for c in dossier.components}:
        raise ValidationFailed(
            [
                FieldError(
                    "component",
                    "digitise.no_component",
                    tr("digitise.no_component", code=component_code),
                )
            ]
        )
    return dossier


def _record(s: Session, ctx: DeskContext, dossier_id: str, payload: dict[str, object]) -> str:
    """The `component_digitised` event and the file's `stored_files` row (one transaction)."""
    desk = current_desk(s)
    assert desk is not None
    event, _ = record_event(
        s,
        desk_id=desk.desk_id,
        office_id=desk.office_id,
        dossier_id=dossier_id,
        type=EventType.COMPONENT_DIGITISED.value,
        payload=payload,
        officer_id=ctx.officer_id,
        occurred_at=ctx.now(),
    )
    sha, size = str(payload["sha256"]), payload["size"]
    assert isinstance(size, int)
    row = s.get(StoredFile, sha)
    if row is None:
        s.add(StoredFile(sha256=sha, size=size, origin="local", present=True))
    else:
        row.present = True
    return event.id


def digitise_component(
    ctx: DeskContext,
    dossier_id: str,
    component_code: str,
    pages: Sequence[PageRef],
    *,
    ocr: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DigitiseResult:
    """Store `pages` as the component's plain PDF and record it; nothing is written on
    refusal.

    Building the PDF and hashing run before the transaction; the transaction only checks
    the dossier and the limits again and appends the event. No OCR here (seconds a page:
    the citizen would wait at the counter for the receipt). `ocr` (None follows the
    `digitise.ocr` setting) only says whether the result announces a PDF/A copy to make
    with `upgrade_to_pdfa`, or carries a note saying which tool is missing.
    """
    store = store_of(ctx)
    with ctx.read() as s:
        max_page, max_dossier = limits(s)
        if ocr is None:
            ocr = ocr_wanted(s)
    check_page_sizes(pages, max_page)
    store.root.mkdir(parents=True, exist_ok=True)
    built = store.temp_path(".pdf")
    note = ""
    pending = False
    if ocr:
        program, missing = ocr_program()
        pending = program is not None
        note = "" if pending else tr(missing)
    try:
        count = build_pdf(pages, built, progress)
        sha = sha256_file(built)
        size = built.stat().st_size
        with ctx.transaction() as s:
            dossier = _check_component(s, dossier_id, component_code)
            others = _other_components_size(s, dossier.id, component_code)
            if others + size > max_dossier:
                msg = tr("digitise.dossier_too_big", size=_mb(others + size), max=_mb(max_dossier))
                raise ValidationFailed([FieldError("pages", "digitise.dossier_too_big", msg)])
            # The file is in place before the event that names it commits; a crash in
            # between leaves an unnamed file (harmless), never an event without its file.
            store.put(built, sha)
            sources = {p.source for p in pages}
            source = sources.pop() if len(sources) == 1 else "mixed"
            event_id = _record(
                s,
                ctx,
                dossier_id,
                {
                    "component_code": component_code,
                    "pages": count,
                    "sha256": sha,
                    "size": size,
                    "pdfa": False,
                    "source": source,
                },
            )
    finally:
        built.unlink(missing_ok=True)
    return DigitiseResult(event_id, sha, size, count, False, note, pending)


# --- the PDF/A copy, afterwards ------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """One component whose latest file is a plain PDF made on this desk."""

    dossier_id: str
    component_code: str
    plain_sha: str


@dataclass(frozen=True)
class UpgradeResult:
    """How an upgrade ended: done (event_id and sha256 of the PDF/A), superseded (a newer
    file of the component came meanwhile: nothing written), failed (why, remembered),
    unavailable (OCR off or missing: nothing remembered, offered again when it is there),
    cancelled (the desk closing: offered again after the next sign-in)."""

    outcome: Literal["done", "superseded", "failed", "unavailable", "cancelled"]
    upgrade: Upgrade
    event_id: str = ""
    sha256: str = ""
    why: str = ""


def ocr_timeout(session: Session, pages: int) -> float:
    """Seconds OCRmyPDF may take for `pages` pages (setting `digitise.ocr_timeout_s`, per
    page, default 120): a hung OCR fails instead of holding the queue for ever."""
    per_page = float(get_setting(session, "digitise.ocr_timeout_s") or 0) or 120.0
    return per_page * max(pages, 1)


def _failed_note(store: FileStore, plain_sha: str) -> Path:
    return store.root / "pdfa-failed" / plain_sha


def ocr_failure(store: FileStore, plain_sha: str) -> str | None:
    """Why the PDF/A copy of `plain_sha` failed before; None when it did not."""
    try:
        return _failed_note(store, plain_sha).read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return None


def _remember_failure(store: FileStore, plain_sha: str, why: str) -> None:
    note = _failed_note(store, plain_sha)
    note.parent.mkdir(parents=True, exist_ok=True)
    tmp = note.with_suffix(".tmp")
    tmp.write_text(why, encoding="utf-8")
    os.replace(tmp, note)


def forget_failure(ctx: DeskContext, plain_sha: str) -> None:
    """Let `pending_upgrades` offer the file again (a retry asked for by a person)."""
    _failed_note(store_of(ctx), plain_sha).unlink(missing_ok=True)


def _latest(s: Session, dossier_id: str, component_code: str) -> Event | None:
    """The component's latest `component_digitised` event (the order `dossier_files` uses)."""
    latest = None
    for e in s.scalars(
        select(Event)
        .where(
            Event.dossier_id == dossier_id,
            Event.type == EventType.COMPONENT_DIGITISED.value,
        )
        .order_by(Event.occurred_at, Event.desk_seq)
    ):
        if e.payload["component_code"] == component_code:
            latest = e
    return latest


def pending_upgrades(ctx: DeskContext) -> list[Upgrade]:
    """Components whose latest file is a plain PDF made on this desk, present here and not
    failed before, oldest first; none while OCR is off or missing. Derived from the events
    and the store each time, so a restart loses nothing."""
    store = store_of(ctx)
    with ctx.read() as s:
        if not ocr_wanted(s):
            return []
        desk = current_desk(s)
        if desk is None:
            return []
        # Read after every sign-in over all the desk's years: plain columns and the three
        # payload values the fold needs, not whole events with their JSON parsed.
        latest: dict[tuple[str, str], tuple[str, str, bool]] = {}
        for dossier, desk_id, code, sha, pdfa in s.execute(
            select(
                Event.dossier_id,
                Event.desk_id,
                Event.payload["component_code"].as_string(),
                Event.payload["sha256"].as_string(),
                Event.payload["pdfa"].as_boolean(),
            )
            .where(Event.type == EventType.COMPONENT_DIGITISED.value)
            .order_by(Event.occurred_at, Event.desk_seq)
        ):
            latest[(dossier, code)] = (desk_id, sha, bool(pdfa))
        todo = [
            Upgrade(dossier, code, sha)
            for (dossier, code), (desk_id, sha, pdfa) in latest.items()
            if not pdfa and desk_id == desk.desk_id
        ]
    if not todo or ocr_program()[0] is None:
        return []
    return [u for u in todo if store.has(u.plain_sha) and ocr_failure(store, u.plain_sha) is None]


def _ocr_command(program: str) -> list[str]:
    """OCRmyPDF at low priority: through `nice` where there is one (its Tesseract and
    Ghostscript children inherit it), so the counter's own work goes first."""
    nice = shutil.which("nice") if os.name == "posix" else None
    return [nice, "-n", "15", program] if nice else [program]


def _low_priority() -> dict[str, int]:
    """Windows has no `nice`: the process starts below normal priority instead."""
    flag = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", None)
    return {"creationflags": flag} if os.name == "nt" and flag is not None else {}


def upgrade_to_pdfa(
    ctx: DeskContext,
    dossier_id: str,
    component_code: str,
    plain_sha: str,
    *,
    cancel: threading.Event | None = None,
) -> UpgradeResult:
    """Make the PDF/A copy of a stored plain PDF and record it, unless superseded.

    OCRmyPDF runs outside any transaction (seconds a page); then one short transaction
    checks that `plain_sha` is still the component's latest file and records the PDF/A
    (`pdfa` true, `replaces` the plain file). A failure is remembered in the store
    (`ocr_failure`), so the background queue does not try it again and again.
    """
    upgrade = Upgrade(dossier_id, component_code, plain_sha)
    store = store_of(ctx)
    with ctx.read() as s:
        wanted = ocr_wanted(s)
        latest = _latest(s, dossier_id, component_code)
        pages = int(latest.payload["pages"]) if latest is not None else 1
        source = str(latest.payload.get("source", "file")) if latest is not None else "file"
        timeout = ocr_timeout(s, pages)
    if latest is None or latest.payload["sha256"] != plain_sha:
        return UpgradeResult("superseded", upgrade)
    program = ocr_program()[0] if wanted else None
    if program is None:
        return UpgradeResult("unavailable", upgrade)
    if not store.verify(plain_sha):
        damaged = tr("digitise.damaged", sha=plain_sha[:12])
        _remember_failure(store, plain_sha, damaged)
        return UpgradeResult("failed", upgrade, why=damaged)
    known = store.pdfa_of(plain_sha)
    out = store.temp_path(".pdf")
    try:
        if known is not None:
            shutil.copyfile(store.path_for(known), out)
        else:
            why: str | None = make_pdfa(
                store.path_for(plain_sha), out, program, timeout=timeout, cancel=cancel
            )
            if why == CANCELLED:  # the desk is closing: offered again next time
                return UpgradeResult("cancelled", upgrade)
            if why is None and not pdfa_part(out):
                why = "no PDF/A identification"
            if why is not None:
                _remember_failure(store, plain_sha, why)
                log.warning("PDF/A copy of %s failed: %s", plain_sha[:12], why)
                return UpgradeResult("failed", upgrade, why=why)
        sha = sha256_file(out)
        size = out.stat().st_size
        with ctx.transaction() as s:
            # Checked again here: the officer may have scanned the component again while
            # OCRmyPDF ran; the newer file stands and this copy is thrown away.
            now = _latest(s, dossier_id, component_code)
            if now is None or now.payload["sha256"] != plain_sha:
                return UpgradeResult("superseded", upgrade)
            # OCR adds a text layer, fonts and a colour profile: the copy can be larger than
            # the plain file it replaces, and the dossier's limit holds for it too.
            max_dossier = limits(s)[1]
            others = _other_components_size(s, dossier_id, component_code)
            if others + size > max_dossier:
                why = tr("digitise.pdfa_too_big", size=_mb(others + size), max=_mb(max_dossier))
                _remember_failure(store, plain_sha, why)
                return UpgradeResult("failed", upgrade, why=why)
            store.put(out, sha)
            store.remember_pdfa(plain_sha, sha)
            event_id = _record(
                s,
                ctx,
                dossier_id,
                {
                    "component_code": component_code,
                    "pages": pages,
                    "sha256": sha,
                    "size": size,
                    "pdfa": True,
                    "source": source,
                    "replaces": plain_sha,
                },
            )
    finally:
        out.unlink(missing_ok=True)
    return UpgradeResult("done", upgrade, event_id, sha)


def files_of(ctx: DeskContext, dossier_id: str) -> list[ComponentFile]:
    """`dossier_files` in its own read, with each file's text recognition state (for the
    screens, on the worker pool)."""
    store = store_of(ctx)
    with ctx.read() as s:
        files = dossier_files(s, dossier_id)
        wanted = ocr_wanted(s)
        desk = current_desk(s)
        made_here = {
            e.payload["sha256"]
            for e in s.scalars(
                select(Event).where(
                    Event.dossier_id == dossier_id,
                    Event.type == EventType.COMPONENT_DIGITISED.value,
                    Event.desk_id == (desk.desk_id if desk else ""),
                )
            )
        }
    available = wanted and any(not f.pdfa for f in files) and ocr_program()[0] is not None
    out = []
    for f in files:
        failed = None if f.pdfa else ocr_failure(store, f.sha256)
        if f.pdfa:
            state = "done"
        elif failed is not None:
            state = "failed"
        elif available and f.sha256 in made_here and f.state != "remote":
            state = "pending"
        else:
            state = "off"
        out.append(replace(f, ocr=state, ocr_note=failed or ""))
    return out


def file_path(ctx: DeskContext, sha: str) -> Path:
    """The checked local file of `sha`; DomainError when missing or damaged."""
    store = store_of(ctx)
    if not store.has(sha):
        raise DomainError("digitise.missing", tr("digitise.missing"))
    if not store.verify(sha):
        raise DomainError("digitise.damaged", tr("digitise.damaged", sha=sha[:12]))
    return store.path_for(sha)
