# wfl simulate tests/cli/pipeline.wfl --workflow pipeline --set rows=0
