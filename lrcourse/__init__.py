"""lrcourse: "Learning rate: taking steps of the right size".

The course library: reference implementations (:mod:`lrcourse.reference`), the losses
the course uses (:mod:`lrcourse.landscapes`), its figures (:mod:`lrcourse.plots`) and
the helpers hidden tests use to compare a student's function with the reference
(:mod:`lrcourse.grading`). Students never receive this package.
"""

__version__ = "0.1.0"
