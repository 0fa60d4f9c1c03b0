"""``briefgen import``: 'en' in the header's 'Informatie bij' separates two contacts only between two names of
people; a team or department whose name has 'en' in it stays one contact."""

from __future__ import annotations

import pytest

from tests.cli.test_import_depth_contacts import _import, _letter


@pytest.mark.parametrize(("header", "contacts"), [
    ([("Informatie bij:", "Team Wonen en Zorg, 035 629 2911")], [{"naam": "Team Wonen en Zorg", "telefoon": "035 629 2911"}]),
    ([("Informatie bij:", "Afdeling Ruimte en Economie, e.r@hilversum.nl")],
     [{"naam": "Afdeling Ruimte en Economie", "email": "e.r@hilversum.nl"}]),
    ([("Informatie bij:", "E. Seijsener en A.B. van Rijssenbeek"), ("Tel. nr.:", "0618878359 en 0610205716")],
     [{"naam": "E. Seijsener", "telefoon": "0618878359"}, {"naam": "A.B. van Rijssenbeek", "telefoon": "0610205716"}]),
], ids=["team", "department", "two-people"])
def test_en_separates_contacts_only_between_names_of_people(werkmap, tmp_path, header, contacts):
    data = _import(werkmap, _letter(tmp_path / "brief.docx", header))
    assert data["contactpersonen"] == contacts
