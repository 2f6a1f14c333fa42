# wfl explore tests/cli/explore/nightly.wfl
