# wfl check --color never tests/cli/bounds/pool.wfl --children 6 --max-states 1000000 --max-memory 8
# With six workers the exploration fits in 8 MB, but not the search for the states from which
# the pool cannot close: W0412 is then left out, and a note says so.
