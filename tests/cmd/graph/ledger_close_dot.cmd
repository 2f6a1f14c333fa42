# wfl graph examples/data_pipeline.wfl --workflow ledger_close --format dot
