# wfl check --no-config --color never
# cwd: tests/cli/config/project
