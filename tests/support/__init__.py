"""Test helpers shared by the tests and the benchmarks (a real central, fault proxy, desks)."""
