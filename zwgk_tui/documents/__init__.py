"""Documents in the agency's name: kinds, input model, rendering from .docx templates (spec 05)."""

from .kinds import DOCUMENT_KINDS, KINDS, DocumentKind, resolve_kind
from .model import AgencyInfo, ApplicantInfo, DocumentInput, ReviewOpinion
from .render import (
    DOCUMENTED_VARIABLES,
    DocumentError,
    build_context,
    check_template,
    default_template_dir,
    render_document,
    template_path,
    write_atomically,
)

__all__ = [
    "DOCUMENTED_VARIABLES",
    "DOCUMENT_KINDS",
    "KINDS",
    "AgencyInfo",
    "ApplicantInfo",
    "DocumentError",
    "DocumentInput",
    "DocumentKind",
    "ReviewOpinion",
    "build_context",
    "check_template",
    "default_template_dir",
    "render_document",
    "resolve_kind",
    "template_path",
    "write_atomically",
]
