# wfl check --no-config --color never --deny W0100 --min-severity error tests/cli/warning.wfl tests/cli/mixed.wfl
