# wfl check --color never --threads 4 tests/cli/parallel
