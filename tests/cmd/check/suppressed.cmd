# wfl check --color never tests/cli/suppressed.wfl
# tests/cli/suppressed.wfl is tests/cli/warning.wfl with a suppression above the variable.
