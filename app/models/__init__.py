"""models layer (see shared DESIGN.md)."""
