"""Is a dossier complete? Compare what was handed in with the procedure's components.

Why here and pure: the officer must give all missing items at once (Decree 61/2018
Art. 15(3), 17(1)(a)), so the rule has to list every shortfall, deterministically in
catalogue order, and the same answer must come out on the desk, in the supplement-request
form (Mẫu 02) and at the centre.

Copy kinds: an original satisfies a certified copy and a photocopy; a certified copy
satisfies a photocopy; a component asking for "any" accepts all three.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from app.domain.catalogue import Component, Procedure
from app.domain.messages import current_language, register, tr

HANDED_IN_KINDS = ("original", "certified_copy", "photocopy")

# Which handed-in kinds satisfy a required kind.
_ACCEPTS: dict[str, frozenset[str]] = {
    "original": frozenset({"original"}),
    "certified_copy": frozenset({"original", "certified_copy"}),
    "photocopy": frozenset({"original", "certified_copy", "photocopy"}),
    "any": frozenset(HANDED_IN_KINDS),
}

REASON_MISSING = "missing"
REASON_TOO_FEW = "too_few"
REASON_WRONG_COPY_KIND = "wrong_copy_kind"
REASON_ONE_OF_MISSING = "one_of_missing"


def copy_kind_satisfies(handed: str, required: str) -> bool:
    """True when a document of kind `handed` meets a requirement of kind `required`."""
    return handed in _ACCEPTS[required]


@dataclass(frozen=True)
class HandedIn:
    """One line of what the applicant handed over (several lines may name one component)."""

    component_code: str
    copy_kind: str
    quantity: int

    def __post_init__(self) -> None:
        if self.copy_kind not in HANDED_IN_KINDS:
            raise ValueError(
                f"copy kind {self.copy_kind!r} of {self.component_code} must be one of "
                f"{', '.join(HANDED_IN_KINDS)}"
            )
        if (
            isinstance(self.quantity, bool)
            or not isinstance(self.quantity, int)
            or self.quantity < 0
        ):
            raise ValueError(f"quantity of {self.component_code} must be an integer ≥ 0")


@dataclass(frozen=True)
class Shortfall:
    """One thing the applicant still has to bring.

    For `one_of_missing`, `component_code` is the group key, the names join the
    alternatives' names and `alternatives` lists their component codes. For a member of a
    one_of group that was handed in but is insufficient, `alternatives` also lists the group.
    """

    component_code: str
    name_vi: str
    name_en: str
    form_code: str | None
    required_copy_kind: str | None
    required_quantity: int
    handed_in_quantity: int
    reason_code: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompletenessResult:
    """`complete` is true only when nothing is missing, short or still undecided.

    `unresolved_conditions` lists conditional components whose condition nobody has
    answered yet: such a dossier is "not yet decided", never complete (issue 10: maternity
    with nothing handed in was reported complete because an unanswered condition counted
    as "does not apply").
    """

    complete: bool
    missing: list[Shortfall]
    insufficient: list[Shortfall]
    unresolved_conditions: list[str]
    unknown: list[str]


def _tally(component: Component, items: list[HandedIn]) -> Shortfall | None:
    """None when the handed-in lines cover the component, else the shortfall."""
    total = sum(i.quantity for i in items)
    acceptable = sum(
        i.quantity for i in items if copy_kind_satisfies(i.copy_kind, component.copy_kind)
    )
    if acceptable >= component.quantity:
        return None
    if total == 0:
        reason, handed = REASON_MISSING, 0
    elif acceptable == 0:
        reason, handed = REASON_WRONG_COPY_KIND, total
    else:
        reason, handed = REASON_TOO_FEW, acceptable
    return Shortfall(
        component_code=component.code,
        name_vi=component.name_vi,
        name_en=component.name_en,
        form_code=component.form_code,
        required_copy_kind=component.copy_kind,
        required_quantity=component.quantity,
        handed_in_quantity=handed,
        reason_code=reason,
    )


def _applies(members: Iterable[Component], conditions: Mapping[str, bool]) -> bool | None:
    """For conditional components: True/False when stated, None when nobody said."""
    stated = [bool(conditions[c.code]) for c in members if c.code in conditions]
    if not stated:
        return None
    return any(stated)


def check_completeness(
    procedure: Procedure,
    handed_in: Iterable[HandedIn],
    conditions: Mapping[str, bool] | None = None,
) -> CompletenessResult:
    """Check the handed-in items against the procedure's components.

    A conditional component applies when `conditions[code]` is true and does not when it
    is false. When it is not mentioned it is undecided: listed in `unresolved_conditions`,
    not in `missing` (a supplement request must not ask for what may not apply), and the
    dossier cannot be complete until somebody decides. The members of a one-of
    group share one condition: any member stated true makes the group apply.
    """
    conditions = conditions or {}
    by_code: dict[str, list[HandedIn]] = {}
    known = {c.code for c in procedure.components}
    unknown: list[str] = []
    for item in handed_in:
        if item.component_code in known:
            by_code.setdefault(item.component_code, []).append(item)
        elif item.component_code not in unknown:
            unknown.append(item.component_code)

    missing: list[Shortfall] = []
    insufficient: list[Shortfall] = []
    unresolved: list[str] = []
    groups = procedure.one_of_groups()
    done_groups: set[str] = set()

    def record(s: Shortfall) -> None:
        (
            missing if s.reason_code in (REASON_MISSING, REASON_ONE_OF_MISSING) else insufficient
        ).append(s)

    for comp in procedure.components:
        if comp.one_of is None:
            if comp.conditional:
                applies = _applies([comp], conditions)
                if applies is None:
                    unresolved.append(comp.code)
                if not applies:
                    continue
            shortfall = _tally(comp, by_code.get(comp.code, []))
            if shortfall is not None:
                record(shortfall)
            continue

        key = comp.one_of
        if key in done_groups:
            continue
        done_groups.add(key)
        members = groups[key]
        if comp.conditional:
            applies = _applies(members, conditions)
            if applies is None:
                unresolved.extend(m.code for m in members)
            if not applies:
                continue
        results = [(m, _tally(m, by_code.get(m.code, []))) for m in members]
        if any(s is None for _, s in results):
            continue  # one alternative is enough
        alternatives = tuple(m.code for m in members)
        tried = [s for _, s in results if s is not None and s.reason_code != REASON_MISSING]
        if tried:
            # Something was handed in but falls short: say what is wrong with it.
            record(replace(tried[0], alternatives=alternatives))
        else:
            record(
                Shortfall(
                    component_code=key,
                    name_vi=" hoặc ".join(m.name_vi for m in members),
                    name_en=" or ".join(m.name_en for m in members),
                    form_code=None,
                    required_copy_kind=None,
                    required_quantity=1,
                    handed_in_quantity=0,
                    reason_code=REASON_ONE_OF_MISSING,
                    alternatives=alternatives,
                )
            )

    return CompletenessResult(
        complete=not missing and not insufficient and not unresolved,
        missing=missing,
        insufficient=insufficient,
        unresolved_conditions=unresolved,
        unknown=unknown,
    )


# ---------------------------------------------------------------------------------------
# One-line descriptions for forms (Mẫu 02) and screens.

register(
    {
        "completeness.reason.missing": {"vi": "Thiếu", "en": "Missing"},
        "completeness.reason.too_few": {"vi": "Chưa đủ số lượng", "en": "Not enough copies"},
        "completeness.reason.wrong_copy_kind": {"vi": "Sai hình thức", "en": "Wrong form of copy"},
        "completeness.reason.one_of_missing": {
            "vi": "Thiếu một trong các giấy tờ",
            "en": "Missing one of",
        },
        "completeness.copy_kind.original": {"vi": "bản chính", "en": "original"},
        "completeness.copy_kind.certified_copy": {
            "vi": "bản sao chứng thực",
            "en": "certified copy",
        },
        "completeness.copy_kind.photocopy": {"vi": "bản chụp", "en": "photocopy"},
        "completeness.copy_kind.any": {"vi": "bản chính hoặc bản sao", "en": "original or copy"},
        "completeness.quantity.one": {"vi": "{n} bản", "en": "{n} copy"},
        "completeness.quantity.many": {"vi": "{n} bản", "en": "{n} copies"},
        "completeness.handed_in": {"vi": "đã nộp {n}", "en": "{n} handed in"},
        "completeness.required": {"vi": "cần {what}", "en": "{what} required"},
    }
)


def _quantity(n: int, lang: str | None) -> str:
    return tr("completeness.quantity.one" if n == 1 else "completeness.quantity.many", lang, n=n)


def describe(shortfall: Shortfall, lang: str | None = None) -> str:
    """One line for Mẫu 02 and screens, e.g. "Thiếu: Tờ khai … TK1-TS (bản chính, 1 bản)".

    `lang` None means the current language of `app.domain.messages`.
    """
    s = shortfall
    en = (lang or current_language()) == "en"
    reason = tr(f"completeness.reason.{s.reason_code}", lang)
    name = s.name_en if en else s.name_vi
    if s.reason_code == REASON_ONE_OF_MISSING:
        return f"{reason}: {name}"
    if s.form_code and s.form_code not in name:
        name = f"{name} {s.form_code}"
    kind = tr(f"completeness.copy_kind.{s.required_copy_kind}", lang)
    qty = _quantity(s.required_quantity, lang)
    if s.reason_code == REASON_WRONG_COPY_KIND:
        return f"{reason}: {name} ({tr('completeness.required', lang, what=kind)}, {qty})"
    if s.reason_code == REASON_TOO_FEW:
        handed = tr("completeness.handed_in", lang, n=s.handed_in_quantity)
        return f"{reason}: {name} ({kind}, {qty}; {handed})"
    return f"{reason}: {name} ({kind}, {qty})"
