"""Documents in the agency's name: kinds, input model, rendering from .docx templates (spec 05).

The rendering names are resolved on first use: the document kinds' titles are read by everyday commands (`case
show`), which must not pay for loading the docx stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .kinds import DOCUMENT_KINDS, KINDS, DocumentKind, resolve_kind

if TYPE_CHECKING:
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

_LAZY = {
    "AgencyInfo": "model", "ApplicantInfo": "model", "DocumentInput": "model", "ReviewOpinion": "model",
    "DOCUMENTED_VARIABLES": "render", "DocumentError": "render", "build_context": "render",
    "check_template": "render", "default_template_dir": "render", "render_document": "render",
    "template_path": "render", "write_atomically": "render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
