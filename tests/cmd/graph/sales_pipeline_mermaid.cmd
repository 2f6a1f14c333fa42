# wfl graph examples/data_pipeline.wfl --workflow sales_pipeline --format mermaid
