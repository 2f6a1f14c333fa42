# wfl explore tests/cli/explore/crew.wfl --machine crew --children 2
