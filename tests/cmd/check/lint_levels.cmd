# wfl check --color never tests/cli/levels
# tests/cli/levels/wfl.toml allows W0100 and denies dead_end_state; the nearest wfl.toml
# alone counts, so nested/ (which only allows W0300) gets neither.
