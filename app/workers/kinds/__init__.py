"""The modules that register job kinds. Each feature adds its own module in this package and one
import line below (in alphabetical order, so that branches merge without conflicts):

    from app.workers.kinds import webhooks  # noqa: F401
"""

from app.workers.kinds import webhooks  # noqa: F401
