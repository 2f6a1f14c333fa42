# wfl check --format human --color never --quiet
# cwd: tests/cli/config/project
# The command line wins over the file.
