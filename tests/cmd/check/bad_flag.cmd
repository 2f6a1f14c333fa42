# wfl check --format xml tests/cli/clean.wfl
