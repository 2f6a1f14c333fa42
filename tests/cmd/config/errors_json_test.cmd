# wfl test --format json --config tests/cli/bad_config/wfl.toml tests/run/passing.wfl
# Configuration errors are in the JSON of `wfl test` too.
