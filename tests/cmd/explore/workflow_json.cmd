# wfl explore tests/cli/explore/nightly.wfl --workflow nightly --format json
