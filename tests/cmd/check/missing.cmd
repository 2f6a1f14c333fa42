# wfl check tests/cli/missing.wfl
