# wfl graph examples/dispatcher.wfl --machine scheduler --format dot
