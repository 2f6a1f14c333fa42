# wfl test
# cwd: tests/cli/config/project
# `[test]` turns coverage on.
