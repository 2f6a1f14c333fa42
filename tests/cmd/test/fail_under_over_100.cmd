# wfl test --fail-under 101 tests/cli/coverage/spec.wfl
