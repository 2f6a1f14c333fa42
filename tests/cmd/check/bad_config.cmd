# wfl check --color never tests/cli/bad_config tests/cli/clean.wfl
