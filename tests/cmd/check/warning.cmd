# wfl check --color never tests/cli/warning.wfl
