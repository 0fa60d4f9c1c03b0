"""briefgen: official Dutch letters to the council from YAML, as DOCX and PDF/A."""

__version__ = "0.1.0"
