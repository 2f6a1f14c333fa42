# wfl check --color never --deny warnings --min-severity error tests/cli/warning.wfl
# A denied warning is an error, so `--min-severity error` keeps it.
