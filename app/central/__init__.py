"""central layer (see shared DESIGN.md)."""
