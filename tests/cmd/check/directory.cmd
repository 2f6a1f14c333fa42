# wfl check --color never tests/cli/tree
# `.hidden/` is skipped, `notes.txt` is not a spec, `nested/` is searched.
