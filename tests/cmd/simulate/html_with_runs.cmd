# wfl simulate examples/data_pipeline.wfl --workflow sales_pipeline --runs 10 --format html
# `--format html` shows one run.
