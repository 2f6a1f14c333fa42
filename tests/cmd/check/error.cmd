# wfl check --color never tests/cli/error.wfl
