"""What each kind of letter has when the letter does not say: its title, addressee, sender, aanhef and slot."""

DEFAULTS = {
    "raadsinformatiebrief": {
        "titel": "Raadsinformatiebrief",
        "aan": "De leden van de gemeenteraad",
        "van": "Het college van burgemeester en wethouders",
        "aanhef": "Geachte leden van de raad,",
        "slot": "Hoogachtend,",
    },
    "informatienota": {
        "titel": "Informatienota",
        "aan": "De leden van de gemeenteraad",
        "van": "College van B&W",
        "aanhef": "Geachte leden van de raad,",
        "slot": "",
    },
}


def closing_formula(kind: str, own: str | None) -> str:
    """The closing formula a letter of ``kind`` gets: its own ``slot`` (``own``), else its kind's."""
    return own if own is not None else DEFAULTS[kind]["slot"]
