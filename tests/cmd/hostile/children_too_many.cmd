# wfl check tests/cli/pipeline.wfl --children 4097
