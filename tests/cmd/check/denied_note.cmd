# wfl check --color never --max-states 2 tests/cli/bounds/denied
# A `wfl.toml` that denies N0417 makes an incomplete exploration fail the check.
