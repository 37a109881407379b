"""Hidden test cases for ps2_schedules (see lrcourse.cases)."""

CASES = {}
MISTAKES = {}
