# wfl check --no-config --color never --ignore E0101 tests/cli/warning.wfl tests/cli/mixed.wfl
