"""English screens show the catalogue's English names and conditions (issue 10)."""

from __future__ import annotations

from app.domain.messages import set_language
from app.services import catalogue_service
from app.services.search import DossierFilter
from app.ui.dossier_list import COL_PROCEDURE, DossierListModel
from app.ui.dossier_view import DossierView
from app.ui.intake import IntakeWidget
from tests.gui.conftest import receive
from tests.gui.test_dossier_list import loaded


def test_names_and_conditions_in_english(qtbot, desk):
    r = receive(desk)
    b02 = catalogue_service.get_procedure(desk, "BHXH-B02")
    c06 = catalogue_service.get_procedure(desk, "BHXH-C06")
    set_language("en")
    try:
        model = DossierListModel(desk)
        model.set_filter(DossierFilter())
        loaded(qtbot, model, 1)
        assert model.data(model.index(0, COL_PROCEDURE)) == b02.name_en
        v = DossierView(desk, r.dossier_id)
        qtbot.addWidget(v)
        qtbot.waitUntil(lambda: v.detail is not None, timeout=10_000)
        assert b02.name_en in v.header.text()
        assert b02.components[0].name_en in v.components.text()
        w = IntakeWidget(desk)
        qtbot.addWidget(w)
        w.select_procedure("BHXH-C06")  # chosen before the picker arrived: shown when it does
        qtbot.waitUntil(lambda: w.procedure is not None, timeout=10_000)
        conditional = next(c for c in c06.components if c.conditional and c.condition_en)
        row = next(x for x in w.rows if x.comp.code == conditional.code)
        assert conditional.name_en in row.name.text()
        assert conditional.condition_en in row.applies.toolTip()
    finally:
        set_language("vi")
