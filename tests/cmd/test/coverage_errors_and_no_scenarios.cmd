# wfl test --coverage --color never tests/cli/error.wfl tests/cli/clean.wfl
# A file with errors is not measured; one without scenarios is, at 0%.
