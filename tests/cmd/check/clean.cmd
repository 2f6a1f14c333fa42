# wfl check tests/cli/clean.wfl
