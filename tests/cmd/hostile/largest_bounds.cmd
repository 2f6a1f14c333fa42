# wfl check tests/cli/pipeline.wfl --max-states 2147483648 --max-memory 1048576 --threads 256
# The largest values each bound takes are taken.
