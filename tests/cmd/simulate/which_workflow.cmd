# wfl simulate tests/cli/pipeline.wfl
