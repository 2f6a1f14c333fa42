# wfl check --config nowhere/wfl.toml tests/cli/config/project
