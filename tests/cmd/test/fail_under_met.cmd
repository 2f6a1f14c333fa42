# wfl test --fail-under 64 --color never tests/cli/coverage/spec.wfl
# The fixture's coverage is 64.2%: at least 64% passes.
