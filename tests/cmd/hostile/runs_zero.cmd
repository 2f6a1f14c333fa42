# wfl simulate tests/cli/pipeline.wfl --runs 0
