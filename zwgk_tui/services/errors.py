"""Errors that the CLI maps to exit codes and the TUI shows as notifications. Messages are for clerks."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    exit_code = 1

    def __init__(self, message: str, *, detail: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail or {}


class InvalidInput(ServiceError):
    """Bad input, or a step the current stage does not allow."""

    exit_code = 2


class NotPermitted(ServiceError):
    """The acting user's roles or agency do not allow this."""

    exit_code = 3


class Conflict(ServiceError):
    """The case changed under the user (optimistic version check)."""

    exit_code = 4


def database_fault_text(exc: BaseException) -> str:
    """The database's own sentence for a fault, never the statement or its parameters (for the TUI)."""
    from zwgk_tui.persistence.database import describe_db_error

    return describe_db_error(exc)
