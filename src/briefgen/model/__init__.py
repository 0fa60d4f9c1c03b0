"""The content model: what a letter file and an organisation file may contain."""

from briefgen.model.letter import Attachment, Commitment, Contact, Letter, Section, Signer
from briefgen.model.organisation import Address, Member, Organisation
from briefgen.model.tables import Table

__all__ = [
    "Address",
    "Attachment",
    "Commitment",
    "Contact",
    "Letter",
    "Member",
    "Organisation",
    "Section",
    "Signer",
    "Table",
]
