# wfl explore --color never tests/cli/error.wfl
