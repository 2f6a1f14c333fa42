# wfl check --color never --deny warnings tests/cli/warning.wfl
