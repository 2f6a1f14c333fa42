# wfl graph examples/case_activities.wfl --machine activity --format mermaid
