# wfl check tests/cli/empty_dir
