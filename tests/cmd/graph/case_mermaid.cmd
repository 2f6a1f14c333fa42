# wfl graph examples/case_activities.wfl --machine case --format mermaid
