# wfl check --format github tests/cli/mixed.wfl tests/cli/warning.wfl
# A warning (W0001) and an error (E0101) in one file, and a warning in another.
