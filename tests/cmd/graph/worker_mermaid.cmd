# wfl graph examples/dispatcher.wfl --machine worker --format mermaid
