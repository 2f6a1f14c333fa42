# wfl check --color never tests/cli/bounds/pool.wfl --children 6 --max-states 1000000 --max-memory 8
# With six workers the exploration fits in 8 MB, but the waits of the search for the states from
# which the pool cannot close do not: it gives them back and settles the configurations left by
# passes over their moves, and W0412 is reported as with room to spare.
