# wfl check tests/cli/pipeline.wfl --max-memory 0
