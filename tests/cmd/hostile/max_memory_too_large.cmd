# wfl explore tests/cli/pipeline.wfl --max-memory 1048577
