# wfl simulate tests/cli/pipeline.wfl --runs 10 --threads 100000
