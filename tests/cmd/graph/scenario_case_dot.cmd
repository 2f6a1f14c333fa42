# wfl graph examples/case_activities.wfl --scenario 'case: closing the case makes the unused optional activities NOT USED' --format dot
# A machine run drawn: each state and transition by whether the run used it.
