# wfl simulate tests/cli/pipeline.wfl --workflow pipeline --runs 2000 --seed 9
