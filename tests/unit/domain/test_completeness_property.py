"""Property: over every bundled procedure, "complete" never lies.

Whatever is handed in (any subset of components, any kind, any count, strays included)
and whatever conditions are stated (true, false or left undecided), `complete` holds
exactly when every required component and every applicable conditional one is present in
an acceptable kind and count, counting one-of groups as satisfied by any one member, and
no condition is left undecided. The oracle below is written independently of the rule.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.catalogue import Component, Procedure, bundled_catalogue_path, load_catalogue
from app.domain.completeness import HANDED_IN_KINDS, HandedIn, check_completeness

CATALOGUE = load_catalogue(bundled_catalogue_path())
PROCEDURES = CATALOGUE.procedures
RANK = {"original": 3, "certified_copy": 2, "photocopy": 1}
NEEDED = {"original": 3, "certified_copy": 2, "photocopy": 1, "any": 1}


def _present(c: Component, items: list[HandedIn]) -> bool:
    good = sum(
        i.quantity
        for i in items
        if i.component_code == c.code and RANK[i.copy_kind] >= NEEDED[c.copy_kind]
    )
    return good >= c.quantity


def _oracle(p: Procedure, items: list[HandedIn], conditions: dict[str, bool]) -> bool:
    units: dict[str, list[Component]] = {}
    for c in p.components:
        units.setdefault(c.one_of or c.code, []).append(c)
    for members in units.values():
        if any(m.conditional for m in members):
            stated = [conditions[m.code] for m in members if m.code in conditions]
            if not stated:
                return False  # undecided is never complete
            if not any(stated):
                continue  # decided: does not apply
        if not any(_present(m, items) for m in members):
            return False
    return True


@st.composite
def cases(draw: st.DrawFn) -> tuple[Procedure, list[HandedIn], dict[str, bool]]:
    p = draw(st.sampled_from(PROCEDURES))
    codes = [c.code for c in p.components]
    line = st.builds(
        HandedIn,
        st.sampled_from([*codes, "STRAY-1"]),
        st.sampled_from(HANDED_IN_KINDS),
        st.integers(0, 3),
    )
    items = draw(st.lists(line, max_size=2 * len(codes) + 1))
    # Bias towards "everything handed in, everything decided" so complete cases occur often.
    if draw(st.booleans()):
        items += [HandedIn(c.code, "original", c.quantity) for c in p.components]
    conditional = [c.code for c in p.components if c.conditional]
    conditions: dict[str, bool] = {}
    for code in conditional:
        choice = draw(st.sampled_from([True, False, None]))
        if choice is not None:
            conditions[code] = choice
    return p, items, conditions


@settings(max_examples=600, deadline=None)
@given(cases())
def test_complete_only_when_everything_applicable_is_there(
    case: tuple[Procedure, list[HandedIn], dict[str, bool]],
) -> None:
    p, items, conditions = case
    r = check_completeness(p, items, conditions)
    assert r.complete == _oracle(p, items, conditions), (p.code, items, conditions, r)
    if r.complete:
        assert not r.missing and not r.insufficient and not r.unresolved_conditions


@given(st.sampled_from(PROCEDURES))
def test_nothing_handed_in_is_never_complete(p: Procedure) -> None:
    # Every bundled procedure asks for something, whatever the conditions say.
    assert p.components
    everything_applies = {c.code: True for c in p.components if c.conditional}
    assert not check_completeness(p, [], {}).complete
    assert not check_completeness(p, [], everything_applies).complete
