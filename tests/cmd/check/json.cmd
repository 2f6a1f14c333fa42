# wfl check --format json tests/cli/error.wfl tests/cli/warning.wfl
