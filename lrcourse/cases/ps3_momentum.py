"""Hidden test cases for ps3_momentum (see lrcourse.cases)."""

CASES = {}
MISTAKES = {}
