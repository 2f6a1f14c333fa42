# wfl check --color never tests/cli/tree/nested/b.wfl tests/cli/tree/nested ./tests/cli/tree/nested/b.wfl tests/cli/tree/../tree/nested/b.wfl
# A file named several ways (itself, its directory, with `.` and `..`) is checked once.
