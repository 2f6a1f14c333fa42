# wfl simulate tests/cli/pipeline.wfl --workflow pipeline --fail lod
