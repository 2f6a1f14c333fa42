# wfl graph tests/ui/check/link_cycle.fixed.wfl --coverage
# An item no scenario runs: `--coverage` has nothing to draw.
