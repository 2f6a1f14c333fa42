# wfl simulate --color never tests/cli/error.wfl
