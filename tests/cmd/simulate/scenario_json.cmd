# wfl simulate tests/cli/pipeline.wfl --scenario 'extract fails' --format json
