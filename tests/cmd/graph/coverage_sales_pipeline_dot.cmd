# wfl graph examples/data_pipeline.wfl --workflow sales_pipeline --coverage --format dot
# All the scenarios of an item drawn together: a task or link filled with the end state most
# runs gave it, each counted in its tooltip; a state or transition green when some run used it.
