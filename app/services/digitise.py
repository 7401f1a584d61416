"""Digitising at reception: a component's pages become one PDF, stored by its SHA-256.

Decree 61/2018 Art. 17(1): the officer scans the dossier and keeps it electronically at
reception; the national index counts the dossiers digitised there (domain.md §0.1).

How a component is stored:
- pages (scanned PNGs, imported JPEG/PNG, pages of imported PDFs) in the officer's order,
  each with its rotation, become one PDF: images embedded losslessly by img2pdf (a JPEG
  keeps its bytes, a PNG its pixels), PDF pages copied by pikepdf; pages are read one at a
  time from their files and the PDF is written to disk, never built whole in memory;
- PDF/A-2b with a Vietnamese text layer when OCRmyPDF, Tesseract and its Vietnamese data
  are installed and the `digitise.ocr` setting is on (optional: the result says what is
  missing and the file stays the plain PDF); images keep their pixels (PNG) and bytes
  (JPEG) there too;
- the file is named by its SHA-256 in `<data folder>/files/ab/cd/<sha256>.pdf` (the same
  pages stored twice take one file) and recorded by a `component_digitised` event, with its
  `stored_files` row, in ONE transaction: the event never names a file that is not there.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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


def make_pdfa(src: Path, out: Path, program: str) -> str | None:
    """OCRmyPDF: PDF/A-2b with a Vietnamese text layer; None when done, else why not.

    `--pdfa-image-compression lossless` and `-O 0` keep the pages as they were stored: with
    the defaults Ghostscript turns PNG scans into JPEG (lossy) and the tests caught it.
    """
    try:
        done = subprocess.run(
            [
                program,
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
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)[:200]
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]
    return None


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


def ocr_wanted(session: Session) -> bool:
    """The `digitise.ocr` setting (on unless set to 0)."""
    return (get_setting(session, "digitise.ocr") or "1").strip() not in {"0", "false", "no"}


def _to_pdfa(
    store: FileStore, built: Path, stage: Callable[[str], None] | None = None
) -> tuple[Path, bool, str, str | None]:
    """(file to keep, is PDF/A, note for the officer, plain sha to remember it by).

    Anything short of a file that declares PDF/A keeps the plain PDF and says why.
    """
    program, missing = ocr_program()
    if program is None:
        return built, False, tr(missing), None
    plain_sha = sha256_file(built)
    known = store.pdfa_of(plain_sha)
    out = store.temp_path(".pdf")
    try:
        if known is not None:
            shutil.copyfile(store.path_for(known), out)
            built.unlink()
            return out, True, "", plain_sha
        if stage is not None:
            stage("ocr")
        why = make_pdfa(built, out, program)
        if why is None and pdfa_part(out):
            built.unlink()
            return out, True, "", plain_sha
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    out.unlink(missing_ok=True)
    return built, False, tr("digitise.ocr_failed", why=why or "no PDF/A identification"), None


def limits(session: Session) -> tuple[int, int]:
    """(per page, per dossier) in bytes, from the settings."""
    page = float(get_setting(session, "digitise.max_page_mb") or 0) or 20.0
    dossier = float(get_setting(session, "digitise.max_dossier_mb") or 0) or 200.0
    return int(page * MB), int(dossier * MB)


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


def digitise_component(
    ctx: DeskContext,
    dossier_id: str,
    component_code: str,
    pages: Sequence[PageRef],
    *,
    ocr: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> DigitiseResult:
    """Store `pages` as the component's PDF and record it; nothing is written on refusal.

    The slow part (building the PDF, OCR, hashing) runs before the transaction; the
    transaction only checks the dossier and the limits again and appends the event.
    `ocr` None follows the `digitise.ocr` setting. `stage("ocr")` is called before
    OCRmyPDF runs (seconds a page, with no count to show) so a window can say so.
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
    pdfa = False
    plain_sha: str | None = None
    try:
        count = build_pdf(pages, built, progress)
        if ocr:
            built, pdfa, note, plain_sha = _to_pdfa(store, built, stage)
        sha = sha256_file(built)
        size = built.stat().st_size
        with ctx.transaction() as s:
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
            others = sum(
                f.size for f in dossier_files(s, dossier_id) if f.component_code != component_code
            )
            if others + size > max_dossier:
                msg = tr("digitise.dossier_too_big", size=_mb(others + size), max=_mb(max_dossier))
                raise ValidationFailed([FieldError("pages", "digitise.dossier_too_big", msg)])
            # The file is in place before the event that names it commits; a crash in
            # between leaves an unnamed file (harmless), never an event without its file.
            store.put(built, sha)
            if plain_sha is not None:
                store.remember_pdfa(plain_sha, sha)
            desk = current_desk(s)
            assert desk is not None
            sources = {p.source for p in pages}
            source = sources.pop() if len(sources) == 1 else "mixed"
            event, _ = record_event(
                s,
                desk_id=desk.desk_id,
                office_id=desk.office_id,
                dossier_id=dossier_id,
                type=EventType.COMPONENT_DIGITISED.value,
                payload={
                    "component_code": component_code,
                    "pages": count,
                    "sha256": sha,
                    "size": size,
                    "pdfa": pdfa,
                    "source": source,
                },
                officer_id=ctx.officer_id,
                occurred_at=ctx.now(),
            )
            row = s.get(StoredFile, sha)
            if row is None:
                s.add(StoredFile(sha256=sha, size=size, origin="local", present=True))
            else:
                row.present = True
            event_id = event.id
    finally:
        built.unlink(missing_ok=True)
    return DigitiseResult(event_id, sha, size, count, pdfa, note)


def files_of(ctx: DeskContext, dossier_id: str) -> list[ComponentFile]:
    """`dossier_files` in its own read (for the screens, on the worker pool)."""
    with ctx.read() as s:
        return dossier_files(s, dossier_id)


def file_path(ctx: DeskContext, sha: str) -> Path:
    """The checked local file of `sha`; DomainError when missing or damaged."""
    store = store_of(ctx)
    if not store.has(sha):
        raise DomainError("digitise.missing", tr("digitise.missing"))
    if not store.verify(sha):
        raise DomainError("digitise.damaged", tr("digitise.damaged", sha=sha[:12]))
    return store.path_for(sha)
