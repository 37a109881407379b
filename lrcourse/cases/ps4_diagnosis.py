"""Hidden test cases for ps4_diagnosis (see lrcourse.cases)."""

CASES = {}
MISTAKES = {}
