# wfl explore tests/cli/explore/crew.wfl --workflow crew
