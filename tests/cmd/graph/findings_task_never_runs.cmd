# wfl graph tests/ui/analysis/task_never_runs.wfl --findings --format dot --workflow nightly
# Findings drawn on what they concern: on tasks, links (one of a list link), states and
# transitions, or on the whole machine in the label.
