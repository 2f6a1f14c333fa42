# wfl check --color never tests/cli/levels/nested/specs.wfl
# The nearest wfl.toml alone counts: nested/ only allows W0300.
