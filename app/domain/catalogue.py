"""The procedure catalogue: typed, validated, immutable.

Why strict parsing: the catalogue decides what an officer asks a citizen for and which
appointment date is printed, and it arrives from the central service as data. A malformed
document must be rejected as a whole with a message naming the item, never half-loaded.
Unknown keys are ignored so a newer catalogue still loads on an older desk.

Pure apart from `load_catalogue`, which reads a file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.resources import resources_dir

FIELDS = ("BHXH", "BHYT", "BHTN")
CONFIDENCES = ("V", "S", "M")
TIME_UNITS = ("working_days", "days", "nonholiday_days")
#: Who files the dossier, where the law gives each its own time limit (Law 41/2024 Art. 62(3)).
FILERS = ("employer", "worker")
CHANNELS = ("desk", "post", "online", "interconnected")
COPY_KINDS = ("original", "certified_copy", "photocopy", "any")
REQUIREMENTS = ("required", "conditional")

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")


class CatalogueError(ValueError):
    """The catalogue document is invalid; `path` names the offending item."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.detail = message
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    confidence: str


@dataclass(frozen=True)
class FilerLimit:
    """The time limit when a given party files (e.g. the worker herself, 05 working days).

    `component`: the paper only this filer hands in (the employer's list 01B-HSB, the
    worker's own application); stating at intake that it applies says who files.
    """

    filer: str
    value: int
    unit: str
    article: str | None
    component: str | None = None


@dataclass(frozen=True)
class TimeLimit:
    """The time limit and where it comes from.

    unit: "working_days", "days" (Civil Code Art. 147/148) or "nonholiday_days" (days not
    counting public holidays and Tết, Law 41/2024 Art. 79(3)). `article` names the article of
    the source that sets it. `by_filer` is non-empty when the limit depends on who files; the
    intake then has to say who does.
    """

    value: int
    unit: str
    same_day: bool
    source: str
    confidence: str
    note_vi: str | None = None
    note_en: str | None = None
    article: str | None = None
    by_filer: Mapping[str, FilerLimit] = field(default_factory=dict, hash=False)

    def for_filer(self, filer: str | None) -> tuple[int, str, str | None]:
        """(value, unit, article) for the chosen filer; the general limit if none applies."""
        chosen = self.by_filer.get(filer or "")
        if chosen is None:
            return self.value, self.unit, self.article
        return chosen.value, chosen.unit, chosen.article or self.article


@dataclass(frozen=True)
class OnlineOnly:
    """A procedure filed only online (no paper at the desk): where, and what to do.

    The desk shows `steps_vi` to the citizen and may record an assisted online filing.
    """

    portal_vi: str
    steps_vi: str
    basis_vi: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Fee:
    """What the applicant pays (Decree 61/2018 Art. 15(1)(c)); 0 means free, with its basis."""

    amount_vnd: int
    basis_vi: str
    source: str
    confidence: str

    @property
    def free(self) -> bool:
        return self.amount_vnd == 0


@dataclass(frozen=True)
class Component:
    code: str
    name_vi: str
    name_en: str
    form_code: str | None
    copy_kind: str  # "original" | "certified_copy" | "photocopy" | "any"
    quantity: int
    requirement: str  # "required" | "conditional"
    condition_vi: str | None
    condition_en: str | None
    one_of: str | None
    source: str
    confidence: str

    @property
    def conditional(self) -> bool:
        return self.requirement == "conditional"


@dataclass(frozen=True)
class Procedure:
    code: str
    national_code: str | None
    field: str
    group: str
    group_name_vi: str
    group_name_en: str | None
    name_vi: str
    name_en: str
    time_limit: TimeLimit
    legal_basis: str
    source: str
    confidence: str
    channels: tuple[str, ...]
    components: tuple[Component, ...]
    components_confirmed: bool
    note_vi: str | None = None
    note_en: str | None = None
    fee: Fee | None = None
    online_only: OnlineOnly | None = None

    @property
    def has_filer_limits(self) -> bool:
        return bool(self.time_limit.by_filer)

    def filer_from_conditions(self, conditions: Mapping[str, bool]) -> str | None:
        """The filer whose own paper was stated to apply, when exactly one was."""
        found = [
            f.filer
            for f in self.time_limit.by_filer.values()
            if f.component is not None and conditions.get(f.component) is True
        ]
        return found[0] if len(found) == 1 else None

    def component(self, code: str) -> Component:
        for c in self.components:
            if c.code == code:
                return c
        raise KeyError(code)

    def one_of_groups(self) -> dict[str, tuple[Component, ...]]:
        """Group key → members, in catalogue order."""
        groups: dict[str, list[Component]] = {}
        for c in self.components:
            if c.one_of is not None:
                groups.setdefault(c.one_of, []).append(c)
        return {k: tuple(v) for k, v in groups.items()}


@dataclass(frozen=True)
class Catalogue:
    catalogue_version: str
    effective_from: date
    publisher: str
    note_vi: str | None
    note_en: str | None
    sources: Mapping[str, Source] = field(hash=False)
    procedures: tuple[Procedure, ...] = ()

    def procedure(self, code: str) -> Procedure:
        for p in self.procedures:
            if p.code == code:
                return p
        raise KeyError(code)

    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.procedures)


# ---------------------------------------------------------------------------------------
# Parsing helpers: each takes the path of the item for the error message.


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogueError(path, f"expected an object, got {type(value).__name__}")
    return value


def _text(d: Mapping[str, Any], key: str, path: str) -> str:
    if key not in d:
        raise CatalogueError(path, f"missing {key!r}")
    value = d[key]
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(path, f"{key!r} must be a non-empty string, got {value!r}")
    return _nfc(value)


def _opt_text(d: Mapping[str, Any], key: str, path: str) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogueError(path, f"{key!r} must be a string or null, got {value!r}")
    value = _nfc(value)
    return value or None


def _enum(d: Mapping[str, Any], key: str, allowed: tuple[str, ...], path: str) -> str:
    if key not in d:
        raise CatalogueError(path, f"missing {key!r}")
    value = d[key]
    if value not in allowed:
        raise CatalogueError(path, f"{key!r} must be one of {', '.join(allowed)}; got {value!r}")
    return str(value)


def _bool(d: Mapping[str, Any], key: str, path: str) -> bool:
    if key not in d:
        raise CatalogueError(path, f"missing {key!r}")
    value = d[key]
    if not isinstance(value, bool):
        raise CatalogueError(path, f"{key!r} must be true or false, got {value!r}")
    return value


def _int(d: Mapping[str, Any], key: str, path: str, minimum: int) -> int:
    if key not in d:
        raise CatalogueError(path, f"missing {key!r}")
    value = d[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CatalogueError(path, f"{key!r} must be an integer ≥ {minimum}, got {value!r}")
    return value


def _code(d: Mapping[str, Any], key: str, path: str) -> str:
    value = _text(d, key, path)
    if not _CODE.match(value):
        raise CatalogueError(path, f"{key!r} {value!r} is not a valid code (A-Z, 0-9, '.', '-')")
    return value


def _provenance(d: Mapping[str, Any], path: str) -> tuple[str, str]:
    return _text(d, "source", path), _enum(d, "confidence", CONFIDENCES, path)


def _parse_time_limit(d: Any, path: str) -> TimeLimit:
    d = _obj(d, path)
    same_day = _bool(d, "same_day", path)
    value = _int(d, "value", path, 0 if same_day else 1)
    unit = _enum(d, "unit", TIME_UNITS, path)
    source, confidence = _provenance(d, path)
    by_filer_raw = d.get("by_filer") or {}
    by_filer: dict[str, FilerLimit] = {}
    for filer, raw in _obj(by_filer_raw, f"{path}: by_filer").items():
        fpath = f"{path}: by_filer {filer}"
        if filer not in FILERS:
            raise CatalogueError(fpath, f"unknown filer (allowed: {', '.join(FILERS)})")
        raw = _obj(raw, fpath)
        by_filer[filer] = FilerLimit(
            filer,
            _int(raw, "value", fpath, 1),
            _enum(raw, "unit", TIME_UNITS, fpath),
            _opt_text(raw, "article", fpath),
            _opt_text(raw, "component", fpath),
        )
    if len(by_filer) == 1:
        raise CatalogueError(f"{path}: by_filer", "needs at least 2 filers")
    return TimeLimit(
        value,
        unit,
        same_day,
        source,
        confidence,
        _opt_text(d, "note_vi", path),
        _opt_text(d, "note_en", path),
        _opt_text(d, "article", path),
        MappingProxyType(by_filer),
    )


def _parse_online_only(d: Any, path: str) -> OnlineOnly | None:
    if d is None:
        return None
    d = _obj(d, path)
    source, confidence = _provenance(d, path)
    return OnlineOnly(
        _text(d, "portal_vi", path),
        _text(d, "steps_vi", path),
        _text(d, "basis_vi", path),
        source,
        confidence,
    )


def _parse_fee(d: Any, path: str) -> Fee | None:
    if d is None:
        return None
    d = _obj(d, path)
    source, confidence = _provenance(d, path)
    return Fee(_int(d, "amount_vnd", path, 0), _text(d, "basis_vi", path), source, confidence)


def _parse_component(d: Any, path: str) -> Component:
    d = _obj(d, path)
    code = _code(d, "code", path)
    path = f"{path.rsplit('[', 1)[0]} {code}"
    requirement = _enum(d, "requirement", REQUIREMENTS, path)
    condition_vi = _opt_text(d, "condition_vi", path)
    condition_en = _opt_text(d, "condition_en", path)
    if requirement == "conditional" and condition_vi is None:
        raise CatalogueError(path, "a conditional component needs a 'condition_vi' text")
    if requirement == "required" and (condition_vi or condition_en):
        raise CatalogueError(path, "a required component must not carry a condition")
    one_of = _opt_text(d, "one_of", path)
    source, confidence = _provenance(d, path)
    return Component(
        code=code,
        name_vi=_text(d, "name_vi", path),
        name_en=_text(d, "name_en", path),
        form_code=_opt_text(d, "form_code", path),
        copy_kind=_enum(d, "copy_kind", COPY_KINDS, path),
        quantity=_int(d, "quantity", path, 1),
        requirement=requirement,
        condition_vi=condition_vi,
        condition_en=condition_en,
        one_of=one_of,
        source=source,
        confidence=confidence,
    )


def _parse_procedure(d: Any, path: str, seen_components: set[str]) -> Procedure:
    d = _obj(d, path)
    code = _code(d, "code", path)
    path = f"procedure {code}"
    national = _opt_text(d, "national_code", path)

    channels_raw = d.get("channels")
    if not isinstance(channels_raw, list) or not channels_raw:
        raise CatalogueError(path, "'channels' must be a non-empty list")
    for ch in channels_raw:
        if ch not in CHANNELS:
            raise CatalogueError(path, f"unknown channel {ch!r} (allowed: {', '.join(CHANNELS)})")
    if len(set(channels_raw)) != len(channels_raw):
        raise CatalogueError(path, "'channels' lists a channel twice")

    comps_raw = d.get("components")
    if not isinstance(comps_raw, list):
        raise CatalogueError(path, "'components' must be a list")
    components: list[Component] = []
    for i, raw in enumerate(comps_raw):
        comp = _parse_component(raw, f"{path}: component[{i}]")
        if comp.code in seen_components:
            raise CatalogueError(f"{path}: component {comp.code}", "duplicate component code")
        seen_components.add(comp.code)
        components.append(comp)

    groups: dict[str, list[Component]] = {}
    for c in components:
        if c.one_of is not None:
            groups.setdefault(c.one_of, []).append(c)
    for key, members in groups.items():
        if len(members) < 2:
            raise CatalogueError(
                f"{path}: one_of group {key!r}",
                f"needs at least 2 members, has {len(members)} ({members[0].code})",
            )
        first = members[0]
        for m in members[1:]:
            if (m.requirement, m.condition_vi) != (first.requirement, first.condition_vi):
                raise CatalogueError(
                    f"{path}: one_of group {key!r}",
                    f"members {first.code} and {m.code} differ in requirement or condition",
                )

    time_limit = _parse_time_limit(d.get("time_limit"), f"{path}: time_limit")
    codes = {c.code for c in components}
    for f in time_limit.by_filer.values():
        if f.component is not None and f.component not in codes:
            raise CatalogueError(
                f"{path}: time_limit: by_filer {f.filer}", f"unknown component {f.component!r}"
            )
    online = d.get("online_only")
    if online is not None and set(channels_raw) & {"desk", "post"}:
        raise CatalogueError(path, "an online-only procedure cannot list 'desk' or 'post'")
    source, confidence = _provenance(d, path)
    return Procedure(
        code=code,
        national_code=national,
        field=_enum(d, "field", FIELDS, path),
        group=_text(d, "group", path),
        group_name_vi=_text(d, "group_name_vi", path),
        group_name_en=_opt_text(d, "group_name_en", path),
        name_vi=_text(d, "name_vi", path),
        name_en=_text(d, "name_en", path),
        time_limit=time_limit,
        legal_basis=_text(d, "legal_basis", path),
        source=source,
        confidence=confidence,
        channels=tuple(channels_raw),
        components=tuple(components),
        components_confirmed=_bool(d, "components_confirmed", path),
        note_vi=_opt_text(d, "note_vi", path),
        note_en=_opt_text(d, "note_en", path),
        fee=_parse_fee(d.get("fee"), f"{path}: fee"),
        online_only=_parse_online_only(d.get("online_only"), f"{path}: online_only"),
    )


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Validate a catalogue document and build the immutable `Catalogue`.

    Raises `CatalogueError` naming the procedure or component at fault.
    """
    data = _obj(data, "catalogue")
    path = "catalogue"
    version = _text(data, "catalogue_version", path)
    eff_raw = _text(data, "effective_from", path)
    try:
        effective_from = date.fromisoformat(eff_raw)
    except ValueError:
        raise CatalogueError(path, f"'effective_from' is not an ISO date: {eff_raw!r}") from None

    sources_raw = _obj(data.get("sources", {}), "catalogue: sources")
    sources: dict[str, Source] = {}
    for key, raw in sources_raw.items():
        spath = f"source {key}"
        raw = _obj(raw, spath)
        sources[key] = Source(
            key, _text(raw, "title", spath), _enum(raw, "confidence", CONFIDENCES, spath)
        )

    procs_raw = data.get("procedures")
    if not isinstance(procs_raw, list) or not procs_raw:
        raise CatalogueError(path, "'procedures' must be a non-empty list")
    procedures: list[Procedure] = []
    seen: set[str] = set()
    seen_components: set[str] = set()
    for i, raw in enumerate(procs_raw):
        proc = _parse_procedure(raw, f"procedure[{i}]", seen_components)
        if proc.code in seen:
            raise CatalogueError(f"procedure {proc.code}", "duplicate procedure code")
        seen.add(proc.code)
        procedures.append(proc)

    return Catalogue(
        catalogue_version=version,
        effective_from=effective_from,
        publisher=_text(data, "publisher", path),
        note_vi=_opt_text(data, "note_vi", path),
        note_en=_opt_text(data, "note_en", path),
        sources=MappingProxyType(sources),
        procedures=tuple(procedures),
    )


def bundled_catalogue_path() -> Path:
    """The catalogue shipped with the program (used until the central one is pulled)."""
    return resources_dir() / "catalogue" / "vss.json"


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and parse a catalogue JSON file (the only I/O in this module)."""
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as exc:
            raise CatalogueError(str(path), f"not valid JSON: {exc}") from None
    return parse_catalogue(data)


def parse_procedure(data: Mapping[str, Any]) -> Procedure:
    """One procedure document, as stored beside each procedure version in the database."""
    return _parse_procedure(data, f"procedure {data.get('code', '?')}", set())
