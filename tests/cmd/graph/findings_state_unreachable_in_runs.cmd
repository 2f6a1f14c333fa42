# wfl graph tests/ui/exploration/state_unreachable_in_runs.wfl --findings --format dot --machine crew
# Findings drawn on what they concern: on tasks, links (one of a list link), states and
# transitions, or on the whole machine in the label.
