"""print layer (see shared DESIGN.md)."""
