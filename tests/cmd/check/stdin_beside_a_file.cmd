# wfl check --color never tests/cli/warning.wfl -
# stdin: tests/cli/error.wfl
# Standard input beside a file: both are checked, each under its name.
