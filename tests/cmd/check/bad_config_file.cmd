# wfl check tests/cli/bad_config/specs.wfl
# A file under a wfl.toml with a mistake is not checked.
