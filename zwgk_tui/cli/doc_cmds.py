"""`zwgk-tui doc` and `zwgk-tui template check` (being written)."""
