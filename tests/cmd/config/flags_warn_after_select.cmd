# wfl check --no-config --color never --select W0001 --warn W0100 --quiet tests/cli/warning.wfl tests/cli/mixed.wfl
