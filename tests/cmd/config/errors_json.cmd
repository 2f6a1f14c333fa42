# wfl check --format json tests/cli/bad_config/specs.wfl
# Configuration errors are in the JSON too, not only on standard error.
