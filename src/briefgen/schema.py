"""JSON Schema of letter and organisation files, from the model, with Dutch descriptions.

Editors with the YAML language server use it to complete and check keys while typing.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from briefgen.model import Letter, Organisation

KINDS: dict[str, type[BaseModel]] = {"brief": Letter, "organisatie": Organisation}
FILE_NAMES = {"brief": "brief.schema.json", "organisatie": "organisatie.schema.json"}
DESCRIPTIONS = {
    "Brief": "Een raadsinformatiebrief of informatienota (content/…/<naam>.yaml).",
    "Organisatie": "Een gemeente of regio met huisstijl en college (content/organisaties/<id>.yaml).",
    "Tabel": "Een tabel waarvan briefgen de totalen berekent; rijen als [omschrijving, waarde].",
    "Sectie": "Een sectie van de brief: kop en tekst in Markdown.",
    "Contactpersoon": "Wie vragen over de brief beantwoordt.",
    "Ondertekenaar": "Een ondertekenaar, gekozen op functie; briefgen zoekt wie er op de datum in functie was.",
    "Bijlage": "Een bijlage bij de brief.",
    "Toezegging": "Een toezegging van het college aan de raad, bijvoorbeeld T20/02.",
    "Collegelid": "Een collegelid of ambtenaar die ondertekent, met ambtstermijn.",
    "Adres": "Het postadres van de organisatie.",
    "Woo": "Publicatie onder de Wet open overheid: de Woo-metadata (.diwoo.xml) naast elke PDF.",
}


def schema(kind: str) -> dict[str, Any]:
    data = KINDS[kind].model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    for node in (data, *data.get("$defs", {}).values()):
        if node.get("title") in DESCRIPTIONS:
            node["description"] = DESCRIPTIONS[node["title"]]
    return data


def text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
