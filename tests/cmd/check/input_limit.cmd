# wfl check tests/cli/clean.wfl
# env: WFL_INPUT_LIMIT=10
# The limit on a spec's size, lowered as tests do: a file over it is not read.
