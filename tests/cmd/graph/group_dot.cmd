# wfl graph examples/workflow_group.wfl --machine group --format dot
