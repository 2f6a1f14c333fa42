# wfl simulate tests/cli/pipeline.wfl --scenario 'extract fail'
