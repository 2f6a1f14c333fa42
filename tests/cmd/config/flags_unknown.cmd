# wfl check --no-config --color never --deny W0101x tests/cli/warning.wfl tests/cli/mixed.wfl
