"""`zwgk-tui stats` and `zwgk-tui demo` (being written)."""
