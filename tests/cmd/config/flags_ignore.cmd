# wfl check --no-config --color never --ignore unused_variable,W0001 tests/cli/warning.wfl tests/cli/mixed.wfl
