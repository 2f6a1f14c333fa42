# wfl graph examples/data_pipeline.wfl --scenario 'sales_pipeline: a failed extract is reported and the run goes on' --format mermaid
# A workflow run drawn: each task and link by its end state.
