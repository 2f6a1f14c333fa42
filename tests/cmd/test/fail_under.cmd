# wfl test --fail-under 64.5% --color never tests/cli/coverage/spec.wfl
# The fixture's coverage is 64.2%.
