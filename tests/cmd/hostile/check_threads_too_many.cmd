# wfl check tests/cli/pipeline.wfl --threads 257
