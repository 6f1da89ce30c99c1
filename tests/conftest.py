"""Settings for the whole suite."""

from hypothesis import settings

# Property tests judge correctness, not speed: a busy CI machine must not turn a slow example
# into a failure. Timing lives in bench/.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
