# wfl check --no-config --color never --select W0100 tests/cli/warning.wfl tests/cli/mixed.wfl
