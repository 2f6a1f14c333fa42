# wfl check --min-severity error tests/cli/warning.wfl
# A warning hidden by `--min-severity error` is not counted either.
