"""Output builders: DOCX to PDF and friends."""
