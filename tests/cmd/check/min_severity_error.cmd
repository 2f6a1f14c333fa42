# wfl check --color never --min-severity error tests/cli/mixed.wfl tests/cli/warning.wfl
