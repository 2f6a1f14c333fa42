# wfl test --format junit tests/run/passing.wfl tests/run/failed_expectation.wfl tests/cli/error.wfl tests/cli/clean.wfl
# A passing file, a failing one, one with errors and one without scenarios.
