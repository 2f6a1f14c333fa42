# wfl check --color never tests/cli/bounds/pool.wfl --children 7 --max-states 1000000 --max-memory 4
# With seven workers the exploration fits in 4 MB, but not the search for the states from which
# the pool cannot close, even by passes: W0412 is then left out, and a note says so.
