# wfl check tests/cli/pipeline.wfl --max-states 99999999999999999999
