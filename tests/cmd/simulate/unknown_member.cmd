# wfl simulate tests/cli/pipeline.wfl --workflow pipeline --set mode=ful
