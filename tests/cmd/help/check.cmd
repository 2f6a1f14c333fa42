# wfl check --help
