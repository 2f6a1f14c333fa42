# wfl check tests/cli/pipeline.wfl --max-states 0
