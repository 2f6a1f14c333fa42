# wfl simulate tests/cli/pipeline.wfl --workflow pipeline --set rws=3
