# wfl test --color never tests/cli/clean.wfl
# A file without scenarios is not a pass.
