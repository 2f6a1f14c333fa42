# wfl check --color never tests/cli/levels/specs.wfl
# Given alone, a file gets the levels of the nearest wfl.toml: the denied warning is an error.
