# wfl check --format github --max-states 2 tests/cli/bounds/crew.wfl
# A note is a `::notice`.
