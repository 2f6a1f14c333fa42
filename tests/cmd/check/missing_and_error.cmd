# wfl check tests/cli/missing.wfl tests/cli/error.wfl
# A missing file does not stop the others: they are checked, and the exit status is 2.
