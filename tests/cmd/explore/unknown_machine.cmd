# wfl explore tests/cli/explore/crew.wfl --machine crw
